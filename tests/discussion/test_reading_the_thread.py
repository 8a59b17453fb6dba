"""Reading a thread: each post's heading names its author; a reply says which post it
answers from the stored link, whatever its text claims; a reader may read oldest first,
paged, each order kept apart by the page cache; a link skips to the discussion."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment
from tests.conftest import form_data
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def headings(html: str) -> list[str]:
    found = re.findall(r'<h3 id="post-\d+-heading">(.*?)</h3>', html, re.S)
    return [re.sub(r"<[^>]+>", "", heading) for heading in found]


def test_each_post_heading_names_its_author(client: Client, article: Article, reader: User) -> None:
    post_comment(article=article, body="Signed.", author=reader)
    post_comment(article=article, body="Not signed.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert headings(html) == ["Post 2, by anonymous", "Post 1, by reader"]


def test_a_reply_names_the_post_it_answers_and_its_author(
    client: Client, article: Article, reader: User
) -> None:
    post_comment(article=article, body="Is magnesium useful?", author=reader)
    post_comment(article=article, body="Something else.")
    # The text claims another post and another author: the page says what is stored.
    data = form_data(article, "> In reply to Post 2 (moderator)\n\nTry it.", reply_to="1")
    client.post(f"{article.get_absolute_url()}posts/", data)
    text = visible_text(Client().get(article.get_absolute_url()).content)
    assert "In reply to Post 1 (reader)" in text
    assert text.count("In reply to") == 2  # the stored one, and the quote typed in the text
    assert "In reply to Post 2 (moderator) Try it." in text


def test_a_forged_reply_number_points_nowhere(client: Client, article: Article) -> None:
    post_comment(article=article, body="First.")
    client.post(f"{article.get_absolute_url()}posts/", form_data(article, "Hi.", reply_to="99"))
    assert "In reply to" not in visible_text(Client().get(article.get_absolute_url()).content)


def test_readers_may_read_the_oldest_first_paged_and_kept_apart(
    client: Client, article: Article, settings: Any
) -> None:
    settings.DISCUSSION_PAGE_SIZE = 2
    for n in range(1, 6):
        post_comment(article=article, body=f"Number {n} here.")
    url = article.get_absolute_url()
    newest = client.get(url).content.decode()
    assert headings(newest) == ["Post 5, by anonymous", "Post 4, by anonymous"]
    assert 'href="?order=oldest#discuss"' in newest
    oldest = client.get(f"{url}?order=oldest").content.decode()
    assert headings(oldest) == ["Post 1, by anonymous", "Post 2, by anonymous"]
    assert 'href="?order=oldest&amp;page=2#discuss"' in oldest
    second = client.get(f"{url}?order=oldest&page=2").content.decode()
    assert headings(second) == ["Post 3, by anonymous", "Post 4, by anonymous"]
    # Asked again, each order comes back as it was: the kept pages are not mixed up.
    assert headings(client.get(url).content.decode())[0] == "Post 5, by anonymous"
    assert headings(client.get(f"{url}?order=oldest").content.decode())[0] == "Post 1, by anonymous"
    # A new post shows at once in both orders' kept pages.
    post_comment(article=article, body="Number 6 here.")
    assert headings(client.get(url).content.decode())[0] == "Post 6, by anonymous"
    last = client.get(f"{url}?order=oldest&page=3").content.decode()
    assert headings(last) == ["Post 5, by anonymous", "Post 6, by anonymous"]


def test_a_link_skips_to_the_discussion(client: Client, article: Article) -> None:
    html = client.get(article.get_absolute_url()).content.decode()
    skip = html.index('href="#discuss"')
    assert "Skip to the discussion" in html[skip : skip + 60]
    assert skip < html.index("<main")
    assert re.search(r'<section class="discussion" id="discuss"[^>]*tabindex="-1"', html)


def test_the_post_help_says_in_words_how_to_shape_a_post(client: Client, article: Article) -> None:
    html = client.get(article.get_absolute_url()).content.decode()
    help_text = re.search(r'<div class="help" id="id_body_helptext">(.*?)</div>', html, re.S)
    assert help_text is not None
    assert "empty line between paragraphs" in help_text.group(1)
    assert "*" not in help_text.group(1) and "](" not in help_text.group(1)


def test_a_post_its_author_may_change_says_until_when(
    client: Client, article: Article, reader: User, settings: Any
) -> None:
    settings.TIME_ZONE = "UTC"
    post = post_comment(article=article, body="Mine.", author=reader)
    client.force_login(reader)
    text = visible_text(client.get(article.get_absolute_url()).content)
    until = post.changeable_until
    assert f"You can change this post until {until:%H:%M} UTC." in text
