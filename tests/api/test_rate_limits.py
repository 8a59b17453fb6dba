"""Requests to the API are counted per token and per address; past a limit, 429 with
Retry-After, whatever the request."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from knowhow.articles.models import Article
from tests.api.conftest import TokenClient


def test_a_token_past_its_limit_waits(
    reader: User, make_token: Callable[..., str], article: Article, settings: Any
) -> None:
    settings.API_RATE_TOKEN = [(3, 60)]
    busy = TokenClient(make_token(reader))
    for _ in range(3):
        assert busy.get("/api/v1/articles/").status_code == 200
    refused = busy.get("/api/v1/articles/")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 0 < int(refused["Retry-After"]) <= 60
    posted = busy.send("POST", f"/api/v1/articles/{article.slug}/posts/", {"body": "Hi"})
    assert posted.status_code == 429, "writes count too"
    # Another token is its own count.
    assert TokenClient(make_token(reader)).get("/api/v1/articles/").status_code == 200


def test_an_address_past_its_limit_waits_whatever_token_it_sends(
    reader: User, make_token: Callable[..., str], settings: Any
) -> None:
    settings.API_RATE_ADDRESS = [(4, 60)]
    anyone = TokenClient()
    for _ in range(2):
        assert anyone.get("/api/v1/topics/").status_code == 200
    for _ in range(2):
        assert TokenClient(make_token(reader)).get("/api/v1/topics/").status_code == 200
    for client in (anyone, TokenClient(make_token(reader))):
        refused = client.get("/api/v1/topics/")
        assert refused.status_code == 429
        assert int(refused["Retry-After"]) > 0
    assert TokenClient("kh_made_up").get("/api/v1/topics/").status_code == 429
    # Another address is its own count.
    assert TokenClient(REMOTE_ADDR="192.0.2.9").get("/api/v1/topics/").status_code == 200
