"""KNOWHOW_LOG_FORMAT=json: one JSON object a line, naming the request, with no secrets."""

from __future__ import annotations

import io
import json
import logging
import subprocess
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from knowhow import config
from knowhow.server.logs import JsonLines
from tests.database_away import database_unreachable
from tests.test_serve import KNOWHOW, _env


def _lines_of(run: Callable[[], object], logger: str = "") -> list[dict[str, object]]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonLines())
    target = logging.getLogger(logger)
    level = target.level
    target.addHandler(handler)
    target.setLevel(logging.INFO)
    try:
        run()
    finally:
        target.removeHandler(handler)
        target.setLevel(level)
    return [json.loads(raw) for raw in stream.getvalue().splitlines()]


def test_each_request_gets_one_line_with_method_path_status_and_duration(db: None) -> None:
    lines = _lines_of(lambda: Client().get("/articles/"), "knowhow.requests")
    (line,) = lines
    assert line["level"] == "INFO" and line["logger"] == "knowhow.requests"
    assert line["method"] == "GET" and line["path"] == "/articles/" and line["status"] == 200
    assert isinstance(line["duration_ms"], float) and str(line["time"]).endswith("Z")


def test_no_cookie_query_string_or_token_in_path_is_written(db: None) -> None:
    client = Client()
    client.cookies["sessionid"] = "cookie-secret-value"
    lines = _lines_of(
        lambda: (
            client.get("/accounts/reset/MTIz/cb5zmt-3f9c2a7b1e4d5f6a7b8c9d0e1f2a3b4c/"),
            client.get("/notifications/unsubscribe/42:1tQz9a:Xy8-signature/"),
            client.get("/no-such-page/?token=query-secret&email=a@example.org"),
        )
    )
    written = "\n".join(json.dumps(line) for line in lines)
    assert lines, "nothing was logged"
    for secret in (
        "cookie-secret-value",
        "cb5zmt-3f9c2a7b",
        "Xy8-signature",
        "query-secret",
        "a@example.org",
    ):
        assert secret not in written
    paths = [line.get("path") for line in lines]
    assert "/accounts/reset/[redacted]/" in paths
    assert "/no-such-page/" in paths


def test_an_exception_is_one_field_of_one_line(db: None) -> None:
    client = Client(raise_request_exception=False)
    boom = RuntimeError("boom")
    with mock.patch("knowhow.site.views.articles.recent_articles", side_effect=boom):
        lines = _lines_of(lambda: client.get("/"))
    (error,) = [line for line in lines if line["level"] == "ERROR"]
    assert error["logger"] == "django.request" and error["status"] == 500
    assert "Traceback" in str(error["exception"]) and "RuntimeError: boom" in str(
        error["exception"]
    )


def test_the_database_going_away_is_one_line_without_a_traceback(transactional_db: None) -> None:
    with database_unreachable():
        lines = _lines_of(lambda: Client().get("/articles/"))
    errors = [line for line in lines if line["level"] in ("ERROR", "CRITICAL")]
    assert len(errors) == 1
    (error,) = errors
    assert "database unavailable" in str(error["message"]) and "exception" not in error
    assert error["path"] == "/articles/" and error["status"] == 503


@pytest.mark.same_in_both_passes  # servers of its own, on SQLite in its folder
def test_the_setting_switches_the_log_to_json_lines(tmp_path: Path) -> None:
    code = "import logging; logging.getLogger('knowhow.test').warning('hello %s', 'there')"
    for value, expect_json in (("json", True), ("", False)):
        env = {**_env(tmp_path / "var"), "KNOWHOW_LOG_FORMAT": value}
        done = subprocess.run(
            [KNOWHOW, "shell", "-v0", "-c", code],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if expect_json:
            line = json.loads(done.stderr.strip())
            assert line["message"] == "hello there" and line["level"] == "WARNING"
            assert line["logger"] == "knowhow.test"
        else:
            assert done.stderr.strip() == "hello there"


def test_an_unknown_log_format_is_refused_by_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNOWHOW_LOG_FORMAT", "xml")
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_LOG_FORMAT must be one of text, json"):
        config.env_choice("KNOWHOW_LOG_FORMAT", "text", ("text", "json"))
    monkeypatch.setenv("KNOWHOW_LOG_FORMAT", " JSON ")
    assert config.env_choice("KNOWHOW_LOG_FORMAT", "text", ("text", "json")) == "json"
