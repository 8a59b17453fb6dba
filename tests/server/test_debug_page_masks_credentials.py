"""With KNOWHOW_DEBUG on, the error page shows no password: not from a setting, not from the
environment the page lists, not from a traceback's variables."""

from __future__ import annotations

import os
from typing import Any

import pytest
from django.test import Client

from knowhow.server.error_reports import CredentialsHidden, mask_credentials

PASSWORDS = ("db-pass-123", "mail-pass-456", "cache-pass-000", "dsn-pass-789")


@pytest.fixture
def debug_site(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Client:
    monkeypatch.setenv("KNOWHOW_DATABASE_URL", "postgres://knowhow:db-pass-123@db.internal/kh")
    monkeypatch.setenv("KNOWHOW_EMAIL_URL", "smtp+tls://site:mail-pass-456@mail.example.org:587")
    monkeypatch.setenv("RELAY_DSN", "host=db.internal user=knowhow password=dsn-pass-789")
    settings.DEBUG = True
    settings.ROOT_URLCONF = "tests.server.failing_urls"
    # A setting holding a URL with a password under a name Django does not hide.
    settings.SESSION_REDIS = {"LOCATION": "redis://:cache-pass-000@cache.internal:6379/0"}
    # Django's development server hands the whole environment to the page as META.
    return Client(raise_request_exception=False, **os.environ)


def test_the_debug_page_shows_no_password(debug_site: Client) -> None:
    page = debug_site.get("/broken/")
    assert page.status_code == 500
    html = page.content.decode()
    assert "something broke" in html  # it is the debug page, with its details
    assert "KNOWHOW_DATABASE_URL" in html and "SESSION_REDIS" in html
    for password in PASSWORDS:
        assert password not in html


def test_the_plain_text_report_shows_no_password_either(debug_site: Client) -> None:
    page = debug_site.get("/broken/", HTTP_ACCEPT="text/plain")
    text = page.content.decode()
    assert "something broke" in text
    for password in PASSWORDS:
        assert password not in text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("postgres://kh:s3cr%40t@db:5432/kh", "postgres://kh:********@db:5432/kh"),
        ("redis://:pw@cache:6379/1", "redis://:********@cache:6379/1"),
        (
            "smtp+ssl://me%40example.org:p@ss:w@rd@mail:465",
            "smtp+ssl://me%40example.org:********@mail:465",
        ),
        (
            "https://api.example.org/hook?token=abc123&x=1",
            "https://api.example.org/hook?token=********&x=1",
        ),
        (
            "host=db user=kh password=hunter2 dbname=kh",
            "host=db user=kh password=******** dbname=kh",
        ),
        ("https://example.org/articles/", "https://example.org/articles/"),
    ],
)
def test_credentials_inside_any_value_are_masked(value: str, shown: str) -> None:
    assert mask_credentials(value) == shown
    assert CredentialsHidden().cleanse_setting("ANYTHING", value) == shown


def test_settings_named_like_urls_are_hidden_whole() -> None:
    hidden = CredentialsHidden().cleanse_setting("SENTRY_DSN", "https://key@sentry.example/1")
    assert hidden == CredentialsHidden.cleansed_substitute
