"""The API's reads through the page cache in front of Django, as a WSGI server calls it:
kept like pages for anyone, and never stale across processes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from knowhow.articles.models import Article
from tests import people
from tests.api.conftest import TokenClient
from tests.pagecache.conftest import Clock, Server


@pytest.fixture
def make_server(transactional_db: None) -> Callable[[], Server]:
    clock = Clock()
    return lambda: Server(clock)


def test_a_post_through_the_api_in_one_process_shows_in_another_at_once(
    make_server: Callable[[], Server], article: Article, make_token: Callable[..., str]
) -> None:
    one, two = make_server(), make_server()
    address = f"/api/v1/articles/{article.slug}/posts/"
    for process in (one, two):
        assert process.request(address).cache == "MISS"
        kept = process.request(address)
        assert kept.cache == "HIT"
        assert b'"items": []' in kept.body
        revalidated = process.request(address, headers={"If-None-Match": kept.headers["etag"]})
        assert revalidated.status == 304
    token = make_token(people.make_reader())
    made = TokenClient(token).send("POST", address, {"body": "Posted by a program"})
    assert made.status_code == 201
    for process in (one, two):
        fresh = process.request(address, headers={"If-None-Match": kept.headers["etag"]})
        assert fresh.status == 200
        assert fresh.cache == "MISS"
        assert "Posted by a program" in fresh.text


def test_a_caller_with_a_token_is_answered_by_django_with_the_same_etag(
    make_server: Callable[[], Server], article: Article, make_token: Callable[..., str]
) -> None:
    server = make_server()
    address = f"/api/v1/articles/{article.slug}/"
    anyone = server.request(address)
    token = make_token(people.make_reader())
    with_token = server.request(address, headers={"Authorization": f"Bearer {token}"})
    assert with_token.cache == ""
    assert with_token.body == anyone.body
    assert with_token.headers["etag"] == anyone.headers["etag"]
    again = server.request(
        address,
        headers={"Authorization": f"Bearer {token}", "If-None-Match": anyone.headers["etag"]},
    )
    assert again.status == 304
