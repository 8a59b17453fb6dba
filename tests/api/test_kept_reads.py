"""Reads are kept like pages, answer 304 to a client that has them, and are never stale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.discussion import services as posting
from tests.api.conftest import TokenClient
from tests.conftest import form_data


def test_a_client_with_the_current_etag_gets_304_without_reading_the_thread(
    anyone: TokenClient, article: Article
) -> None:
    posting.post_comment(article=article, body="First!")
    address = f"/api/v1/articles/{article.slug}/posts/"
    first = anyone.get(address)
    etag = first["ETag"]
    assert etag.startswith('W/"')
    with CaptureQueriesContext(connection) as queries:
        again = anyone.get(address, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    # Only the request's rate count (in the database where the cache is not shared).
    read = [q["sql"] for q in queries if "discussion_post" in q["sql"] or "articles_" in q["sql"]]
    assert read == []
    assert anyone.get(address, HTTP_IF_NONE_MATCH='W/"other"').status_code == 200


def test_a_post_through_the_site_shows_at_once_in_the_api(
    anyone: TokenClient, article: Article
) -> None:
    address = f"/api/v1/articles/{article.slug}/posts/"
    before = anyone.get(address)
    assert before.json()["items"] == []
    page = Client().post(f"/articles/{article.slug}/posts/", form_data(article, "Hello there"))
    assert page.status_code == 302
    after = anyone.get(address, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert [p["body_html"] for p in after.json()["items"]] == ["<p>Hello there</p>\n"]
    assert after["ETag"] != before["ETag"]


def test_a_post_through_the_api_shows_at_once_on_the_page(
    as_reader: TokenClient, article: Article
) -> None:
    assert "Hello from a program" not in Client().get(article.get_absolute_url()).text
    made = as_reader.send("POST", f"/api/v1/articles/{article.slug}/posts/",
                          {"body": "Hello from a program"})  # fmt: skip
    assert made.status_code == 201
    assert "Hello from a program" in Client().get(article.get_absolute_url()).text


def test_an_article_changed_or_unpublished_is_not_served_from_memory(
    anyone: TokenClient, article: Article
) -> None:
    address = f"/api/v1/articles/{article.slug}/"
    assert anyone.get(address).json()["title"] == article.title
    article.title = "Cramps, explained"
    article.save()
    assert anyone.get(address).json()["title"] == "Cramps, explained"
    article.status = Article.Status.DRAFT
    article.save()
    assert anyone.get(address).status_code == 404
    assert anyone.get("/api/v1/articles/").json()["items"] == []


def test_a_scheduled_article_appears_in_lists_when_its_time_comes(
    anyone: TokenClient, make_article: Callable[..., Article], time_machine: object
) -> None:
    now = timezone.now()
    make_article("Soon", published_at=now + dt.timedelta(minutes=5))
    assert anyone.get("/api/v1/articles/").json()["items"] == []
    time_machine.move_to(now + dt.timedelta(minutes=6))  # type: ignore[attr-defined]
    assert [a["title"] for a in anyone.get("/api/v1/articles/").json()["items"]] == ["Soon"]
