"""The editor's link picker asks the newsroom for published articles as the writer types:
their titles and addresses, found by the site's search; never a draft, a scheduled article
or one whose time has not come, and never for anyone outside the newsroom."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.newsroom.desk import LINKS_OFFERED
from tests import people

pytestmark = pytest.mark.django_db

LINKS = "/newsroom/links/"


@pytest.fixture
def shelf(make_article: Callable[..., Article]) -> dict[str, Article]:
    return {
        "shins": make_article("Shin Splints Explained", body="Pain along the shin bone."),
        "knees": make_article("Why Knees Hurt", body="The kneecap rubs."),
        "draft": make_article("Shin Pain: A Draft", status=Article.Status.DRAFT, published_at=None),
        "later": make_article(
            "Shin Guards Coming Soon",
            status=Article.Status.SCHEDULED,
            published_at=timezone.now() + dt.timedelta(days=2),
        ),
        "dated_ahead": make_article(
            "Shin Strength, Published Ahead", published_at=timezone.now() + dt.timedelta(days=2)
        ),
    }


def _found(client: Client, words: str) -> list[dict[str, Any]]:
    response = client.get(LINKS, {"q": words})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    return list(response.json()["articles"])


def test_a_writer_finds_published_articles_by_their_words(
    shelf: dict[str, Article], writer_account: User
) -> None:
    found = _found(people.signed_in(writer_account), "shin")
    assert found == [
        {"title": "Shin Splints Explained", "address": "/articles/shin-splints-explained/",
         "topic": "Health"},
    ]  # fmt: skip


def test_words_of_the_body_find_an_article_too(
    shelf: dict[str, Article], writer_account: User
) -> None:
    found = _found(people.signed_in(writer_account), "kneecap")
    assert [a["title"] for a in found] == ["Why Knees Hurt"]


def test_a_short_start_of_a_title_word_still_finds_it(
    shelf: dict[str, Article], writer_account: User
) -> None:
    # Too short for the search's word starts: the titles are read instead, readers' only.
    found = _found(people.signed_in(writer_account), "kn")
    assert [a["title"] for a in found] == ["Why Knees Hurt"]
    assert _found(people.signed_in(writer_account), "sh") == [
        {"title": "Shin Splints Explained", "address": "/articles/shin-splints-explained/",
         "topic": "Health"},
    ]  # fmt: skip


def test_with_nothing_typed_the_newest_published_are_offered(
    shelf: dict[str, Article], make_article: Callable[..., Article], editor_account: User
) -> None:
    for n in range(LINKS_OFFERED + 2):
        make_article(f"Older Article {n}", published_at=timezone.now() - dt.timedelta(days=9 + n))
    found = _found(people.signed_in(editor_account), "  ")
    assert len(found) == LINKS_OFFERED
    assert {a["title"] for a in found[:2]} == {"Shin Splints Explained", "Why Knees Hurt"}
    assert not any("Draft" in a["title"] or "Ahead" in a["title"] for a in found)


def test_nothing_found_is_an_empty_list(shelf: dict[str, Article], writer_account: User) -> None:
    assert _found(people.signed_in(writer_account), "zebra crossing") == []
    # A very long query is cut short; a NUL is refused as in any address, never an error.
    assert [a["title"] for a in _found(people.signed_in(writer_account), "shin " * 400)] == [
        "Shin Splints Explained"
    ]
    assert people.signed_in(writer_account).get(LINKS, {"q": "shin\x00"}).status_code == 400


def test_a_reader_and_an_outsider_are_refused(
    shelf: dict[str, Article], reader: User, outsider: User, client: Client
) -> None:
    for person in (reader, outsider):
        response = people.signed_in(person).get(LINKS, {"q": "shin"})
        assert response.status_code == 403
        assert b"Shin Splints" not in response.content
    signed_out = client.get(LINKS, {"q": "shin"})
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out["Location"]


def test_the_editor_page_tells_its_script_where_to_ask(
    shelf: dict[str, Article], writer_account: User
) -> None:
    page = people.signed_in(writer_account).get("/newsroom/articles/new/")
    assert f'data-link-search-url="{LINKS}"' in page.text
