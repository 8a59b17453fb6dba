"""Fixtures of the operations tests: posting as the site does, a clock moved by hand, and a
real mail server that is down until started."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from tests.notifications.conftest import publish  # noqa: F401  (a fixture, used here too)
from tests.operations.smtp_server import MailServer, free_port


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """timezone.now, moved forward by hand with clock.advance(seconds)."""

    class Clock:
        offset = dt.timedelta()

        def advance(self, seconds: float) -> None:
            self.offset += dt.timedelta(seconds=seconds)

    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


@pytest.fixture
def mail_server(settings: Any) -> Iterator[MailServer]:
    """The site's mail server (SMTP on 127.0.0.1), down until the test starts it."""
    server = MailServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()
