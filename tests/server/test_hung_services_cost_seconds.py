"""A Redis or a PostgreSQL that hangs (stopped with SIGSTOP: connections open, no answer)
costs a reader at most a couple of seconds, through a real `knowhow serve` with every
optional setting on: pages, posts and sign-ins keep being answered, and /healthz says
which part hangs within 3 s."""

from __future__ import annotations

import contextlib
import http.cookiejar
import json
import os
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.nginx_site import form_fields
from tests.test_serve import _env, demo_server
from tests.throwaway_postgres import ThrowawayPostgres
from tests.throwaway_redis import ThrowawayRedis

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
# Each test starts its own servers, PostgreSQL and Redis with settings of its own (_env drops
# the pass's): the same in both passes.
pytestmark = [pytest.mark.timing, pytest.mark.same_in_both_passes]

ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"
# The bounds the site promises, with the machine's load in mind; the times are printed.
PAGE_SECONDS = 2.0
HEALTH_SECONDS = 3.0


class Reader:
    """A browser: keeps cookies, sends forms back with their hidden fields."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def timed(self, path: str, form: dict[str, str] | None = None) -> tuple[int, str, float]:
        data = urlencode(form).encode() if form is not None else None
        started = time.monotonic()
        try:
            with self.opener.open(self.base + path, data=data, timeout=60) as answer:
                status, body = answer.status, answer.read().decode()
        except urllib.error.HTTPError as refused:
            status, body = refused.code, refused.read().decode()
        return status, body, time.monotonic() - started


def _every_option(tmp_path: Path) -> dict[str, str]:
    return {
        **_env(tmp_path / "var"),
        "KNOWHOW_ADMINS": "Ops <ops@example.org>",
        "KNOWHOW_ACCESS_LOG": "true",
        "KNOWHOW_MIN_SUBMIT_SECONDS": "0",
    }


@pytest.fixture
def redis() -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis()
    server.start()
    yield server
    server.resume()
    server.stop()


def test_a_hung_redis_costs_a_page_a_post_and_a_sign_in_under_two_seconds(
    tmp_path: Path, redis: ThrowawayRedis
) -> None:
    env = {**_every_option(tmp_path), "KNOWHOW_CACHE_URL": redis.url}
    with demo_server(env, tmp_path / "server.log") as base:
        reader = Reader(base)
        status, page, _ = reader.timed(ARTICLE)
        assert status == 200
        form = {**form_fields(page), "body": "Posted while the cache hangs.", "as": "anonymous"}
        redis.pause()
        took = {}
        for name, path in (("search", "/search/?q=cramps"), ("facts", "/facts/")):
            status, _, took[name] = reader.timed(path)
            assert status == 200, name
        status, body, took["post"] = reader.timed(ARTICLE + "posts/", form)
        assert status == 200 and "Posted while the cache hangs." in body
        _, login, _ = reader.timed("/accounts/login/")
        token = login.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
        status, _, took["sign-in"] = reader.timed(
            "/accounts/login/",
            {"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong-one"},
        )
        assert status == 200
        status, health, took["healthz"] = reader.timed("/healthz")
        print("with Redis hung:", {k: f"{v:.2f} s" for k, v in took.items()})
        assert status == 200, health  # pages are still served
        assert json.loads(health)["cache"] == "failed"
        for name, seconds in took.items():
            assert seconds < PAGE_SECONDS, (name, took)


def _with_children(pid: int) -> list[int]:
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:  # it ended while its parent's list was read: no children
        children = []
    return [pid, *(grandchild for child in children for grandchild in _with_children(int(child)))]


def _signal_each(pids: list[int], signal_number: int) -> None:
    """Stop or continue the server's processes; one that ended since it was listed (a
    connection closed after its request) has nothing left to stop."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal_number)


def test_a_hung_database_lets_healthz_answer_within_three_seconds(tmp_path: Path) -> None:
    database = ThrowawayPostgres()
    try:
        database.start()
        env = {**_every_option(tmp_path), "KNOWHOW_DATABASE_URL": database.url}
        with demo_server(env, tmp_path / "server.log") as base:
            reader = Reader(base)
            assert reader.timed("/healthz")[0] == 200
            postmaster = int((database.data / "postmaster.pid").read_text().split()[0])
            server = _with_children(postmaster)  # the connections' processes too
            _signal_each(server, signal.SIGSTOP)
            try:
                took = []
                for _ in range(2):
                    status, health, seconds = reader.timed("/healthz")
                    took.append(seconds)
                    assert status == 503, health
                    assert json.loads(health)["database"] == "failed"
                print("/healthz with PostgreSQL hung:", [f"{s:.2f} s" for s in took])
                assert max(took) < HEALTH_SECONDS, took
            finally:
                _signal_each(server[::-1], signal.SIGCONT)
    finally:
        database.remove()


def test_a_hung_database_costs_an_uncached_page_and_a_post_under_two_seconds(
    tmp_path: Path,
) -> None:
    """Connections kept from earlier requests (CONN_MAX_AGE) get no answer: each database
    call of a request waits at most KNOWHOW_DATABASE_WAIT_SECONDS, then the styled 503,
    the reader's text in it; the site serves again once the database answers."""
    database = ThrowawayPostgres()
    try:
        database.start()
        env = {**_every_option(tmp_path), "KNOWHOW_DATABASE_URL": database.url}
        with demo_server(env, tmp_path / "server.log") as base:
            reader = Reader(base)
            status, page, _ = reader.timed(ARTICLE)
            assert status == 200
            text = "Posted while the database hangs."
            form = {**form_fields(page), "body": text, "as": "anonymous"}
            assert reader.timed("/search/?q=cramps")[0] == 200  # a kept connection
            postmaster = int((database.data / "postmaster.pid").read_text().split()[0])
            server = _with_children(postmaster)
            _signal_each(server, signal.SIGSTOP)
            try:
                took = {}
                for name, path in (("search", "/search/?q=spasms"), ("again", "/search/?q=x")):
                    status, body, took[name] = reader.timed(path)
                    assert status == 503, (name, body[:300])
                    assert "Back in a moment" in body  # the styled page
                status, body, took["post"] = reader.timed(ARTICLE + "posts/", form)
                assert status == 503 and text in body, body[:300]
                print("with PostgreSQL hung:", {k: f"{v:.2f} s" for k, v in took.items()})
                for name, seconds in took.items():
                    assert seconds < PAGE_SECONDS, (name, took)
            finally:
                _signal_each(server[::-1], signal.SIGCONT)
            deadline = time.monotonic() + 30
            while (status := reader.timed("/search/?q=muscle")[0]) != 200:  # not cached
                assert time.monotonic() < deadline, status
                time.sleep(0.5)
            status, page, _ = reader.timed(ARTICLE)
            form = {**form_fields(page), "body": "Posted once it answers.", "as": "anonymous"}
            status, body, _ = reader.timed(ARTICLE + "posts/", form)
            assert status == 200 and "Posted once it answers." in body
    finally:
        database.remove()
