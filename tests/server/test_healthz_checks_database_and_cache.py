"""/healthz tells a load balancer whether this process can serve pages (its database), and a
monitor each part: database, cache, task worker and mail queue."""

from __future__ import annotations

import json
import socket
import threading
import time
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from tests.database_away import database_unreachable, options
from tests.pagecache.conftest import Clock, Server

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = pytest.mark.timing

__all__ = ["options"]  # run plain and with every optional setting on


def test_it_answers_ok_when_database_and_cache_work(db: None) -> None:
    answer = Client().get("/healthz")
    assert answer.status_code == 200
    found = json.loads(answer.content)
    assert {k: v for k, v in found.items() if k != "details"} == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "worker": "ok",
        "mail": "ok",
    }
    assert found["details"]["mail"] == "no email waiting"
    assert "no-store" in answer["Cache-Control"]
    assert not answer.cookies


def test_it_names_the_database_when_the_database_is_away(transactional_db: None) -> None:
    with database_unreachable():
        answer = Client().get("/healthz")
    assert answer.status_code == 503
    found = json.loads(answer.content)
    assert (found["status"], found["database"], found["cache"]) == ("failing", "failed", "ok")
    assert Client().get("/healthz").status_code == 200  # back by itself


def test_it_names_the_cache_when_the_cache_is_away(db: None, settings: Any) -> None:
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    answer = Client().get("/healthz")
    assert answer.status_code == 200  # pages are served without the cache
    found = json.loads(answer.content)
    assert (found["status"], found["database"], found["cache"]) == ("degraded", "ok", "failed")
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


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL server's address")
def test_a_database_host_that_never_answers_fails_within_seconds(transactional_db: None) -> None:
    # A host that takes the connection and then says nothing (a hung server, a black-holed
    # network): without a connect timeout the worker thread would wait for minutes.
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)
    connection.close()
    saved = dict(connection.settings_dict)
    connection.settings_dict["HOST"] = "127.0.0.1"
    connection.settings_dict["PORT"] = str(silent.getsockname()[1])
    answers: list[Any] = []
    try:
        started = time.monotonic()
        asking = threading.Thread(target=lambda: answers.append(Client().get("/healthz")))
        asking.start()
        asking.join(timeout=30)
        took = time.monotonic() - started
        assert answers, "the check was still waiting for a silent database after 30 s"
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
        silent.close()
    assert answers[0].status_code == 503
    assert json.loads(answers[0].content)["database"] == "failed"
    assert took < 3, f"the check waited {took:.1f} s for a silent database"
