"""The site's one way of writing dates and times: "7 December 1941", and for a deadline a
clock time with its time zone, "05:49 UTC". Python calls the functions; templates load this
module as the tag library `dates` (settings.TEMPLATES), for every app's pages:

{{ value|long_date }}: "7 December 1941"; {{ value|long_date:"day" }}: "7 December";
{{ value|long_date:"month" }}: "December 1941".
{{ value|date_time }}: "7 December 1941, 05:49 UTC"; {{ value|clock_time }}: "05:49 UTC"
(with the day first when it is not today). {% link_lifetime %}: "3 hours".

Each follows the interface's language: English keeps "7 December 1941", another language
writes the day in its own order with its month names (Django's formats for it: "7 de
diciembre de 1941"), and Arabic with the operator's digits (knowhow.numbers.digits).

tests/test_dates.py fails when a template or module formats a date another way.
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.conf import settings
from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from knowhow.numbers import digits

register = template.Library()

# English as the site has always written it; other languages take Django's formats.
ENGLISH = {"whole": "j F Y", "day": "j F", "month": "F Y"}
DJANGO_FORMAT = {"whole": "DATE_FORMAT", "day": "MONTH_DAY_FORMAT", "month": "YEAR_MONTH_FORMAT"}


def _format(part: str) -> str:
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language.split("-", 1)[0] == "en":
        return ENGLISH[part]
    return str(formats.get_format(DJANGO_FORMAT[part], language))


def long_date(value: dt.date | dt.datetime | None, part: str = "whole") -> str:
    """A day as "7 December 1941" ("7 de diciembre de 1941" in Spanish), in the site's time
    zone for a moment; part "day" leaves out the year, "month" the day."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return digits(dateformat.format(value, _format(part)))


def clock_time(value: dt.datetime, *, with_date: bool = False) -> str:
    """A moment as "05:49 UTC" in the site's time zone (with the day first if asked, or if
    it is not today there): a deadline a reader can set a clock by."""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    zone = local.tzname() or timezone.get_current_timezone_name()
    clock = f"{digits(f'{local:%H:%M}')} {zone}"
    if with_date or local.date() != timezone.localdate():
        # Translators: a day and a clock time, "7 December 1941, 05:49 UTC".
        return _("%(day)s, %(time)s") % {"day": long_date(local), "time": clock}
    return clock


def link_lifetime() -> str:
    """How long an emailed reset or sign-in link works (PASSWORD_RESET_TIMEOUT): "3 hours"."""
    seconds = int(settings.PASSWORD_RESET_TIMEOUT)
    if seconds % 3600 == 0:
        hours = seconds // 3600
        return ngettext("%(count)s hour", "%(count)s hours", hours) % {"count": digits(str(hours))}
    minutes = max(1, seconds // 60)
    return ngettext("%(count)s minute", "%(count)s minutes", minutes) % {
        "count": digits(str(minutes))
    }


@register.filter(name="long_date")
def long_date_filter(value: dt.date | dt.datetime | None, part: str = "") -> str:
    if value is None or value == "":
        return ""
    return long_date(value, part if part in ("day", "month") else "whole")


@register.filter(name="date_time")
def date_time_filter(value: dt.datetime | None) -> str:
    return clock_time(value, with_date=True) if value else ""


@register.filter(name="clock_time")
def clock_time_filter(value: dt.datetime | None) -> str:
    return clock_time(value) if value else ""


@register.simple_tag(name="link_lifetime")
def link_lifetime_tag() -> str:
    return link_lifetime()
