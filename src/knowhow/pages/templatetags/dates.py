"""The site's one date style in templates (knowhow.dates): every date a page shows goes
through these filters; only machine-readable attributes (datetime="...") use |date.

{{ value|long_date }}: "7 December 1941"; {{ value|long_date:"day" }}: "7 December";
{{ value|long_date:"month" }}: "December 1941".
{{ value|date_time }}: "7 December 1941, 05:49 UTC"; {{ value|clock_time }}: "05:49 UTC"
(with the day first when it is not today).
"""

from __future__ import annotations

import datetime as dt

from django import template

from knowhow import dates

register = template.Library()


@register.filter
def long_date(value: dt.date | dt.datetime | None, part: str = "") -> str:
    if value is None or value == "":
        return ""
    written = dates.long_date(value)
    if part == "day":
        return written.rsplit(" ", 1)[0]
    if part == "month":
        return written.split(" ", 1)[1]
    return written


@register.filter
def date_time(value: dt.datetime | None) -> str:
    return dates.clock_time(value, with_date=True) if value else ""


@register.filter
def clock_time(value: dt.datetime | None) -> str:
    return dates.clock_time(value) if value else ""


@register.simple_tag
def link_lifetime() -> str:
    """How long an emailed reset or sign-in link works: "3 hours"."""
    return dates.link_lifetime()
