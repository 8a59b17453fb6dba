"""Fixtures of the operations tests: posting as the site does, and a clock moved by hand."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from tests.notifications.conftest import publish  # noqa: F401  (a fixture, used here too)


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
