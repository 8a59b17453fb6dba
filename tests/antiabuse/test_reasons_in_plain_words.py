"""A reader whose post is held or refused is told why in plain words, with the numbers of
the site's settings, and what to do (antiabuse.reasons)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from knowhow.antiabuse import reasons
from knowhow.antiabuse.models import BlockedTerm
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from tests.conftest import form_data
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

THREE_LINKS = (
    "See [one](https://a.example/), [two](https://b.example/) and [three](https://c.example/)."
)


def test_an_anonymous_post_with_too_many_links_says_how_many_and_what_to_do(
    client: Client, article: Article
) -> None:
    page = client.post(
        f"{article.get_absolute_url()}posts/", form_data(article, THREE_LINKS), follow=True
    )
    assert Post.objects.get().status == Post.Status.HELD
    text = visible_text(page.content)
    assert "Anonymous posts can have 2 links; yours has 3. Remove one, or sign in." in text
    assert "Your post is Post 1 and is awaiting moderation" in text


def test_the_numbers_come_from_the_settings(
    client: Client, article: Article, settings: Any
) -> None:
    settings.ANONYMOUS_LINK_LIMIT = 1
    page = client.post(
        f"{article.get_absolute_url()}posts/", form_data(article, THREE_LINKS), follow=True
    )
    assert "Anonymous posts can have 1 link; yours has 3. Remove 2, or sign in." in visible_text(
        page.content
    )


def test_a_post_held_for_a_blocked_word_names_the_word(client: Client, article: Article) -> None:
    BlockedTerm.objects.create(kind="word", value="casino")
    page = client.post(
        f"{article.get_absolute_url()}posts/", form_data(article, "Try the casino."), follow=True
    )
    assert "It contains “casino”, a word a moderator checks" in visible_text(page.content)


def test_a_post_sent_too_fast_says_how_long_to_wait(
    client: Client, article: Article, settings: Any
) -> None:
    settings.MIN_SUBMIT_SECONDS = 10
    response = client.post(
        f"{article.get_absolute_url()}posts/", form_data(article, "Quick one.", age=2)
    )
    assert response.status_code == 400
    wait = re.search(
        r"Please wait (\d+) seconds, then send it again", visible_text(response.content)
    )
    assert wait is not None and 7 <= int(wait.group(1)) <= 8
    assert int(response["Retry-After"]) == int(wait.group(1))


def test_every_hold_has_a_plain_sentence() -> None:
    codes = [
        value
        for name, value in vars(reasons).items()
        if name.isupper() and name.endswith(("SPAM", "ELSEWHERE", "APPROVAL"))
    ]
    assert codes and all(reasons.HELD.get(code) for code in codes)
