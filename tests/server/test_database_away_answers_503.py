"""The database going away gives a styled 503 with one log line, keeps the reader's text,
and the site recovers by itself when the database is back.

The first tests make this process's database unreachable (SQLite's file cannot be opened;
PostgreSQL's address does not answer). The last starts a PostgreSQL server of its own,
serves the site from it with `knowhow serve`, stops the server the hard way and starts it
again, with knowhow running throughout. Each runs plain and with every optional setting on
(admins emailed about errors, a Redis cache, the access log): what they add must not turn
the outage page into a bare error.
"""

from __future__ import annotations

import http.cookiejar
import json
import logging
import re
import sqlite3
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.auth.models import User
from django.db import OperationalError, connection
from django.test import Client
from django.utils.datastructures import CaseInsensitiveMapping

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.pagecache.sessions import SessionStore
from tests.conftest import form_data
from tests.database_away import ADMINS, database_unreachable, options
from tests.pagecache.conftest import Clock, Server
from tests.pages import visible_text
from tests.people import session_of
from tests.test_serve import _env, demo_server
from tests.throwaway_postgres import ThrowawayPostgres
from tests.throwaway_redis import ThrowawayRedis

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = pytest.mark.timing

__all__ = ["options"]

SECURITY_HEADERS = (
    "X-Content-Type-Options",
    "X-Frame-Options",
    "Referrer-Policy",
    "Content-Security-Policy",
)


def assert_styled_503(status: int, headers: Any, html: str) -> None:
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    for name in SECURITY_HEADERS:
        assert headers[name], f"{name} missing from the 503"
    assert 'rel="stylesheet"' in html and "Back in a moment" in html
    assert "Traceback" not in html and "OperationalError" not in html


def assert_503_keeping_the_text(status: int, headers: Any, html: str, text: str) -> None:
    assert status == 503
    assert int(headers["Retry-After"]) > 0
    for name in SECURITY_HEADERS:
        assert headers[name], f"{name} missing from the 503"
    assert 'rel="stylesheet"' in html and text in html
    assert "send it again" in visible_text(html)
    assert "Traceback" not in html and "OperationalError" not in html


def test_pages_answer_a_styled_503_while_the_database_is_away(
    article: Article, transactional_db: None, caplog: pytest.LogCaptureFixture
) -> None:
    client = Client()
    with database_unreachable(), caplog.at_level(logging.WARNING):
        for url in (article.get_absolute_url(), "/articles/", "/"):
            answer = client.get(url)
            assert_styled_503(answer.status_code, answer, answer.content.decode())
            assert "try again" in visible_text(answer.content)
    # One line a request, saying why, and no traceback.
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 3
    assert all("database unavailable" in r.getMessage() and not r.exc_info for r in errors)
    # Back by itself: no restart.
    assert client.get(article.get_absolute_url()).status_code == 200


def test_a_signed_in_reader_gets_the_503_with_one_log_line(
    reader: User, transactional_db: None
) -> None:
    server = Server(Clock())  # through the page cache, which looks the session up first
    cookies = {"sessionid": session_of(reader)}
    records: list[logging.LogRecord] = []
    catch = logging.Handler(logging.WARNING)
    catch.emit = records.append  # type: ignore[method-assign]
    logging.getLogger().addHandler(catch)  # after the WSGI app set logging up
    try:
        with database_unreachable():
            answer = server.request("/articles/", cookies=cookies)
    finally:
        logging.getLogger().removeHandler(catch)
    assert_styled_503(answer.status, CaseInsensitiveMapping(answer.headers), answer.text)
    assert [r.getMessage()[:20] for r in records] == ["database unavailable"]
    assert not any(r.exc_info for r in records)


def test_a_post_sent_while_the_database_is_away_comes_back_to_send_again(
    article: Article, transactional_db: None
) -> None:
    client = Client()
    text = "Magnesium & <stretching> both helped me, in that order."
    sent = form_data(article, text, reply_to="", notify_email="")
    with database_unreachable():
        answer = client.post(f"{article.get_absolute_url()}posts/", sent)
    html = answer.content.decode()
    assert_styled_503(answer.status_code, answer, html)
    assert "not saved" in visible_text(html) and "send it again" in visible_text(html)
    # The text is in a form that posts it again, with the form's own token.
    assert "Magnesium &amp; &lt;stretching&gt; both helped me" in html
    assert '<form method="post"' in html and " action=" not in html  # back where it was sent
    resent = {
        name: value
        for name, value in re.findall(
            r'<(?:input|textarea)[^>]*name="([^"]+)"[^>]*value="([^"]*)"', html
        )
    }
    assert resent["issued"] == sent["issued"]
    again = client.post(f"{article.get_absolute_url()}posts/", {**resent, "body": text})
    assert again.status_code == 302
    assert Post.objects.get().body == text


def test_a_password_is_never_shown_back(transactional_db: None) -> None:
    with database_unreachable():
        answer = Client().post(
            "/accounts/login/", {"username": "reader", "password": "hunter2-secret"}
        )
    assert answer.status_code == 503
    assert "hunter2-secret" not in answer.content.decode()


def test_the_database_failing_in_a_middleware_gets_the_503_too(transactional_db: None) -> None:
    away = OperationalError("could not connect to server: Connection refused")
    with mock.patch.object(AuthenticationMiddleware, "process_request", side_effect=away):
        answer = Client(raise_request_exception=False).get("/articles/")
    assert_styled_503(answer.status_code, answer, answer.content.decode())


def test_a_post_stored_before_the_session_failed_is_not_called_lost(
    article: Article, transactional_db: None
) -> None:
    """The database fails after the post is stored, while the session is saved on the way
    out: the page must not tell the reader their post was not saved."""
    away = OperationalError("server closed the connection unexpectedly")
    with mock.patch.object(SessionStore, "save", side_effect=away):
        answer = Client(raise_request_exception=False).post(
            f"{article.get_absolute_url()}posts/", form_data(article, "Stored, then trouble.")
        )
    assert answer.status_code == 503
    text = visible_text(answer.content)
    assert "may not have been saved" in text and "was not saved" not in text
    assert Post.objects.get().body == "Stored, then trouble."


def test_a_fault_in_a_query_is_still_a_server_error(transactional_db: None) -> None:
    """A missing table is a bug or a missed migration, not the database being away."""
    try:  # SQLite's own error, with its result code, as Django wraps it
        sqlite3.connect(":memory:").execute("SELECT * FROM articles_article")
    except sqlite3.OperationalError as cause:
        bug = OperationalError(str(cause))
        bug.__cause__ = cause
    with mock.patch("knowhow.site.views.articles.recent_articles", side_effect=bug):
        answer = Client(raise_request_exception=False).get("/")
    assert answer.status_code == 500


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own write lock")
def test_a_post_while_another_program_holds_sqlites_lock_keeps_its_text(
    article: Article, transactional_db: None
) -> None:
    connection.close()
    saved = dict(connection.settings_dict["OPTIONS"])
    connection.settings_dict["OPTIONS"] = {**saved, "timeout": 0.2}
    other = sqlite3.connect(connection.settings_dict["NAME"])
    try:
        other.execute("BEGIN IMMEDIATE")  # e.g. a backup tool writing
        answer = Client().post(
            f"{article.get_absolute_url()}posts/", form_data(article, "Held up by a lock.")
        )
    finally:
        other.rollback()
        other.close()
        connection.close()
        connection.settings_dict["OPTIONS"] = saved
    assert answer.status_code == 503 and answer["Retry-After"]
    assert "cannot save posts right now" in visible_text(answer.content)
    assert "Held up by a lock." in answer.content.decode()
    assert not Post.objects.exists()


# -- a real server against a PostgreSQL server that stops and starts ---------------------------


@pytest.fixture(scope="module")
def postgres() -> Iterator[ThrowawayPostgres]:
    server = ThrowawayPostgres()
    server.start()
    try:
        yield server
    finally:
        server.remove()


def _open(
    opener: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None
) -> tuple[int, Any, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


@pytest.fixture(scope="module")
def redis_server() -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis()
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.same_in_both_passes  # its own PostgreSQL and Redis, not the pass's
def test_the_served_site_answers_503_and_recovers_when_postgresql_returns(
    postgres: ThrowawayPostgres, tmp_path: Path, options: str, request: pytest.FixtureRequest
) -> None:
    env = {
        **_env(tmp_path / "var"),
        "KNOWHOW_DATABASE_URL": postgres.url,
        "KNOWHOW_MIN_SUBMIT_SECONDS": "0",
    }
    if options != "plain":
        redis_server = request.getfixturevalue("redis_server")
        env |= {
            "KNOWHOW_ADMINS": ADMINS,
            "KNOWHOW_CACHE_URL": redis_server.url,
            "KNOWHOW_ACCESS_LOG": "true",
        }
    log = tmp_path / "server.log"
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with demo_server(env, log) as base:
        article = f"{base}/articles/what-are-involuntary-muscle-spasms/"
        status, _, page = _open(browser, article)
        assert status == 200
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|issued)" value="([^"]*)"', page))
        form = {**fields, "body": "Sent while the database was down: keep me."}

        postgres.stop()
        status, headers, html = _open(browser, f"{base}/articles/")
        assert_styled_503(status, headers, html)
        status, headers, html = _open(browser, f"{base}/topics/")
        assert_styled_503(status, headers, html)
        status, _, health = _open(browser, f"{base}/healthz")
        found = json.loads(health)
        assert status == 503
        assert (found["status"], found["database"], found["cache"]) == ("failing", "failed", "ok")
        status, headers, html = _open(browser, f"{article}posts/", form)
        # The outage page, or the article page itself when it can still be composed from
        # what the server keeps in memory: a 503 either way, with the text to send again.
        assert_503_keeping_the_text(status, headers, html, "keep me.")

        postgres.start()
        status, _, html = _open(browser, f"{base}/articles/")
        assert status == 200, "the site did not reconnect by itself"
        assert _open(browser, f"{base}/healthz")[0] == 200
        status, headers, _ = _open(browser, f"{article}posts/", form)
        assert status == 302, "the kept form did not post once the database was back"
        assert "keep me." in _open(browser, article)[2]
    output = log.read_text()
    assert output.count("database unavailable") >= 3
    assert "Traceback" not in output
    if options != "plain":
        # The access log saw the outage, and the admins heard of it (mail files by default).
        assert " /healthz 503 " in output
        reports = [p.read_text() for p in (tmp_path / "var" / "mail").glob("*")]
        assert any("Service Unavailable" in r and "ann@example.org" in r for r in reports)
