"""Mail servers that misbehave, to show posting never waits for or fails with them."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend

SLOW_SECONDS = 1.0


class BrokenServer(BaseEmailBackend):
    calls = 0

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        BrokenServer.calls += 1
        raise ConnectionRefusedError("the mail server is down")


class SlowServer(BaseEmailBackend):
    calls = 0

    def send_messages(self, email_messages: Sequence[Any]) -> int:
        SlowServer.calls += 1
        time.sleep(SLOW_SECONDS)
        return len(email_messages)
