"""Noticing a proxy nobody told the site about: requests carrying X-Forwarded-For while
KNOWHOW_TRUSTED_PROXY_COUNT is not set. Every reader then has the proxy's address, so one
rate limit and one ban cover them all.

The first such request in each server process logs one warning and leaves a note in the
data folder (run/proxy-seen), which `check --deploy` and the next start of `knowhow serve`
read and report.
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

logger = logging.getLogger("knowhow.serve")

UNSET_WARNING = (
    "requests arrive through a proxy (X-Forwarded-For) but KNOWHOW_TRUSTED_PROXY_COUNT is "
    "not set: every reader has the proxy's address, so they share one rate limit and one "
    "ban; set it to the number of proxies in front of the site (1 behind deploy/nginx)"
)

_noted = False


def note_path() -> Path:
    return Path(settings.VAR_DIR) / "run" / "proxy-seen"


def seen_unset() -> str | None:
    """When a proxy was first seen with the count unset (ISO time), or None."""
    if settings.TRUSTED_PROXY_COUNT_SET:
        return None
    try:
        return note_path().read_text().strip() or "earlier"
    except OSError:
        return None


def _note_once() -> None:
    global _noted
    _noted = True
    logger.warning(UNSET_WARNING)
    path = note_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(timezone.now().isoformat(timespec="seconds") + "\n")
    except OSError as error:  # a note not left costs only the next start's reminder
        logger.warning("could not note the proxy in %s: %s", path, error)


class UnknownProxy:
    """Middleware: one warning per process for the first request through an unnamed proxy.
    Costs a flag test once the count is set or the warning given."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.watching = not settings.TRUSTED_PROXY_COUNT_SET

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self.watching and not _noted and "HTTP_X_FORWARDED_FOR" in request.META:
            _note_once()
        return self.get_response(request)


def forget() -> None:
    """After the count is set, the old note says nothing true any more."""
    if settings.TRUSTED_PROXY_COUNT_SET:
        with contextlib.suppress(OSError):
            os.unlink(note_path())
