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
    assert 'href="?order=oldest&amp;after=2#discuss"' in oldest
    second = client.get(f"{url}?order=oldest&after=2").content.decode()
    assert headings(second) == ["Post 3, by anonymous", "Post 4, by anonymous"]
    # Asked again, each order comes back as it was: the kept pages are not mixed up.
    assert headings(client.get(url).content.decode())[0] == "Post 5, by anonymous"
    assert headings(client.get(f"{url}?order=oldest").content.decode())[0] == "Post 1, by anonymous"
    # A new post shows at once in both orders' kept pages.
    assert headings(client.get(f"{url}?order=oldest&after=4").content.decode()) == [
        "Post 5, by anonymous"
    ]
    post_comment(article=article, body="Number 6 here.")
    assert headings(client.get(url).content.decode())[0] == "Post 6, by anonymous"
    last = client.get(f"{url}?order=oldest&after=4").content.decode()
    assert headings(last) == ["Post 5, by anonymous", "Post 6, by anonymous"]
    assert "Newer posts" not in last and 'href="?order=oldest&amp;before=5#discuss"' in last


def _page_links(html: str) -> dict[str, str]:
    nav = re.search(
        r'<nav class="pagination" aria-label="Discussion pages">(.*?)</nav>', html, re.S
    )
    assert nav is not None
    found = re.findall(r'<a(?: rel="\w+")? href="([^"]*)">([^<]+)</a>', nav.group(1))
    return {label: href.replace("&amp;", "&") for href, label in found}


def test_a_page_of_the_thread_stays_where_it_was_when_posts_come(
    client: Client, article: Article, settings: Any
) -> None:
    settings.DISCUSSION_PAGE_SIZE = 2
    for n in range(1, 8):
        post_comment(article=article, body=f"Number {n} here.")
    url = article.get_absolute_url()
    older = _page_links(client.get(url).content.decode())["Older posts"]
    assert older == "?before=6#discuss"
    second = client.get(url + older.split("#")[0]).content.decode()
    assert headings(second) == ["Post 5, by anonymous", "Post 4, by anonymous"]
    # New posts do not move the page a reader follows; it changes only where it must.
    post_comment(article=article, body="Number 8 here.")
    again = client.get(url + "?before=6").content.decode()
    assert headings(again) == ["Post 5, by anonymous", "Post 4, by anonymous"]
    links = _page_links(again)
    assert links["Newer posts"] == "?after=5#discuss"
    assert links["Older posts"] == "?before=4#discuss"
    newer = client.get(url + "?after=5").content.decode()
    assert headings(newer) == ["Post 7, by anonymous", "Post 6, by anonymous"]
    # Newer than the newest page: the first page itself, with nothing newer offered.
    top = client.get(url + "?after=7").content.decode()
    assert headings(top) == ["Post 8, by anonymous", "Post 7, by anonymous"]
    assert "Newer posts" not in _page_links(top)
    # The oldest end of the newest-first order, and a place with nothing left.
    end = client.get(url + "?after=0").content.decode()
    assert headings(end) == ["Post 2, by anonymous", "Post 1, by anonymous"]
    assert "Older posts" not in _page_links(end)
    assert headings(client.get(url + "?before=1").content.decode())[0] == "Post 8, by anonymous"


def test_old_numbered_page_links_lead_where_those_pages_started(
    client: Client, article: Article, settings: Any
) -> None:
    settings.DISCUSSION_PAGE_SIZE = 2
    for n in range(1, 6):
        post_comment(article=article, body=f"Number {n} here.")
    url = article.get_absolute_url()
    assert client.get(f"{url}?page=2")["Location"] == f"{url}?before=4#discuss"
    assert client.get(f"{url}?page=1")["Location"] == f"{url}#discuss"
    assert client.get(f"{url}?page=99")["Location"] == f"{url}?after=0#discuss"
    assert client.get(f"{url}?page=x")["Location"] == f"{url}#discuss"
    oldest = client.get(f"{url}?order=oldest&page=2")["Location"]
    assert oldest == f"{url}?order=oldest&after=2#discuss"
    shown = client.get(f"{url}?order=oldest&page=3", follow=True).content.decode()
    assert headings(shown) == ["Post 5, by anonymous"]


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
