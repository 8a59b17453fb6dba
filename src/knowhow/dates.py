"""The site's one way of writing dates and times: "7 December 1941", and for a deadline a
clock time with its time zone, "05:49 UTC". Python calls the functions; templates load this
module as the tag library `dates` (settings.TEMPLATES), for every app's pages:

{{ value|long_date }}: "7 December 1941"; {{ value|long_date:"day" }}: "7 December";
{{ value|long_date:"month" }}: "December 1941".
{{ value|date_time }}: "7 December 1941, 05:49 UTC"; {{ value|clock_time }}: "05:49 UTC"
(with the day first when it is not today). {% link_lifetime %}: "3 hours".

tests/test_dates.py fails when a template or module formats a date another way.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.utils import timezone

register = template.Library()


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


@register.filter(name="long_date")
def long_date_filter(value: dt.date | dt.datetime | None, part: str = "") -> str:
    if value is None or value == "":
        return ""
    written = long_date(value)
    if part == "day":
        return written.rsplit(" ", 1)[0]
    if part == "month":
        return written.split(" ", 1)[1]
    return written


@register.filter(name="date_time")
def date_time_filter(value: dt.datetime | None) -> str:
    return clock_time(value, with_date=True) if value else ""


@register.filter(name="clock_time")
def clock_time_filter(value: dt.datetime | None) -> str:
    return clock_time(value) if value else ""


@register.simple_tag(name="link_lifetime")
def link_lifetime_tag() -> str:
    return link_lifetime()
