"""/healthz tells a load balancer whether this process can reach its database and cache."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from tests.database_away import database_unreachable
from tests.pagecache.conftest import Clock, Server


def test_it_answers_ok_when_database_and_cache_work(db: None) -> None:
    answer = Client().get("/healthz")
    assert answer.status_code == 200
    assert json.loads(answer.content) == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in answer["Cache-Control"]
    assert not answer.cookies


def test_it_names_the_database_when_the_database_is_away(transactional_db: None) -> None:
    with database_unreachable():
        answer = Client().get("/healthz")
    assert answer.status_code == 503
    assert json.loads(answer.content) == {"status": "failing", "database": "failed", "cache": "ok"}
    assert Client().get("/healthz").status_code == 200  # back by itself


def test_it_names_the_cache_when_the_cache_is_away(db: None, settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    answer = Client().get("/healthz")
    assert answer.status_code == 503
    assert json.loads(answer.content) == {"status": "failing", "database": "ok", "cache": "failed"}
    assert "127.0.0.1" not in answer.content.decode()  # says what failed, not where it is


def test_the_page_cache_never_keeps_it(transactional_db: None) -> None:
    server = Server(Clock())
    first = server.request("/healthz")
    assert first.status == 200 and "no-store" in first.headers["cache-control"]
    with database_unreachable():
        second = server.request("/healthz")
    assert second.status == 503, "an answer kept from before the database went away"
    assert second.cache == ""


def test_it_only_reads(db: None) -> None:
    assert Client().post("/healthz").status_code == 405
