"""The site's one way of writing dates and times: "7 December 1941", and for a deadline a
clock time with its time zone, "05:49 UTC". Templates use the filters of
pages/templatetags/dates.py, Python calls these; tests/test_dates.py fails when a template
or module formats a date another way."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone


def long_date(value: dt.date | dt.datetime | None) -> str:
    """A day as "7 December 1941", in the site's time zone for a moment."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {value:%B %Y}"


def clock_time(value: dt.datetime, *, with_date: bool = False) -> str:
    """A moment as "05:49 UTC" in the site's time zone (with the day first if asked, or if
    it is not today there): a deadline a reader can set a clock by."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    clock = f"{local:%H:%M} {local.tzname() or timezone.get_current_timezone_name()}"
    if with_date or local.date() != timezone.localdate():
        return f"{long_date(local)}, {clock}"
    return clock


def link_lifetime() -> str:
    """How long an emailed reset or sign-in link works (PASSWORD_RESET_TIMEOUT): "3 hours"."""
    seconds = int(settings.PASSWORD_RESET_TIMEOUT)
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return f"{hours} hour{'s' if hours != 1 else ''}"
    minutes = max(1, seconds // 60)
    return f"{minutes} minute{'s' if minutes != 1 else ''}"
