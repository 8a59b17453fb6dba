"""A request for a host the site does not serve gets a 400 page saying so and one log line
naming KNOWHOW_ALLOWED_HOSTS, not a traceback; `check --deploy` refuses a KNOWHOW_SITE_URL
whose host the site would refuse."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from knowhow.server.checks import site_url_is_served
from tests.pages import visible_text
from tests.server.test_https_behind_a_proxy import _knowhow, production_settings


def test_an_unknown_host_gets_a_page_saying_so_and_one_quiet_line(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO):
        answer = Client().get("/", HTTP_HOST="wrong.example")
    assert answer.status_code == 400
    assert "not served at the address you asked for" in visible_text(answer.content)
    assert "ALLOWED_HOSTS" not in answer.content.decode()  # visitors are not told settings
    assert answer["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in answer["Content-Security-Policy"]
    (line,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert line.getMessage() == (
        "refused a request for host 'wrong.example': not in KNOWHOW_ALLOWED_HOSTS"
    )
    assert line.exc_info is None


def test_a_hostile_host_header_stays_on_one_log_line(
    db: None, caplog: pytest.LogCaptureFixture
) -> None:
    Client().get("/", HTTP_HOST="evil.example\nERROR forged line")
    (line,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "\n" not in line.getMessage() and "KNOWHOW_ALLOWED_HOSTS" in line.getMessage()
    assert line.exc_info is None


def test_behind_an_https_proxy_a_plain_request_for_an_unknown_host_is_refused_alike(
    db: None, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.SECURE_SSL_REDIRECT = True  # asks for the host before any view does
    answer = Client().get("/", HTTP_HOST="wrong.example")
    assert answer.status_code == 400
    assert all(r.exc_info is None for r in caplog.records)
    assert not [r for r in caplog.records if r.name.startswith("django.security")]


def test_the_refusal_page_gets_its_stylesheet(db: None, settings: Any) -> None:
    settings.WHITENOISE_USE_FINDERS = True  # whitenoise finds it uncollected
    css = Client().get("/static/knowhow/site.css", HTTP_HOST="wrong.example")
    assert css.status_code == 200


def test_a_served_host_is_answered(db: None) -> None:
    assert Client().get("/", HTTP_HOST="localhost").status_code == 200


def test_site_url_outside_allowed_hosts_is_an_error(settings: Any) -> None:
    settings.SITE_URL = "https://www.example.org"
    settings.ALLOWED_HOSTS = ["example.org"]
    (error,) = site_url_is_served()
    assert error.id == "knowhow.E001"
    assert "KNOWHOW_ALLOWED_HOSTS" in error.msg and "www.example.org" in error.msg
    settings.ALLOWED_HOSTS = [".example.org"]
    assert site_url_is_served() == []
    settings.SITE_URL = "https://EXAMPLE.org:8443"
    assert site_url_is_served() == []


def test_site_url_unset_is_a_warning(settings: Any) -> None:
    settings.SITE_URL = ""
    (warning,) = site_url_is_served()
    assert warning.id == "knowhow.W001"


def test_check_deploy_names_the_mismatch(tmp_path: Path) -> None:
    env = {**production_settings(), "KNOWHOW_SITE_URL": "https://www.example.org"}
    checked = _knowhow(tmp_path, "check", "--deploy", **env)
    assert checked.returncode == 1
    assert "knowhow.E001" in checked.stderr
    assert "KNOWHOW_ALLOWED_HOSTS" in checked.stderr
