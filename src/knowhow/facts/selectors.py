"""Which fact and which event a page shows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.facts.models import Event, Fact


def end_of_today() -> dt.datetime:
    """When the site's day turns over: the day's fact and "on this day" change then."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))


def fact_for(day: dt.date, seed: int = 0) -> Fact | None:
    """The fact to show on a day: it changes daily and differs between pages (seed)."""
    count = Fact.objects.count()
    if not count:
        return None
    return Fact.objects.order_by("pk")[(day.toordinal() + seed) % count]


@dataclass(frozen=True)
class OnThisDay:
    """The event shown for a day; exact is False when it comes from the nearest day instead."""

    day: dt.date
    event: Event
    exact: bool


def _day_of_year(month: int, day: int) -> int:
    return dt.date(2000, month, day).timetuple().tm_yday


def on_this_day(today: dt.date, seed: int = 0) -> OnThisDay | None:
    """Today's event, or, when there is none, the event of the nearest day that has one."""
    events = list(Event.objects.filter(month=today.month, day=today.day).order_by("year"))
    if events:
        return OnThisDay(today, events[seed % len(events)], exact=True)
    later = Q(month=today.month, day__gt=today.day) | Q(month__gt=today.month)
    earlier = Q(month=today.month, day__lt=today.day) | Q(month__lt=today.month)
    nxt = (
        Event.objects.filter(later).order_by("month", "day", "year").first()
        or Event.objects.order_by("month", "day", "year").first()
    )
    if nxt is None:
        return None
    prev = (
        Event.objects.filter(earlier).order_by("-month", "-day", "year").first()
        or Event.objects.order_by("-month", "-day", "year").first()
    )
    here = _day_of_year(today.month, today.day)

    def distance(event: Event) -> int:
        gap = abs(_day_of_year(event.month, event.day) - here)
        return min(gap, 366 - gap)

    best = nxt if prev is None or distance(nxt) <= distance(prev) else prev
    return OnThisDay(today, best, exact=False)


def events_of_day(month: int, day: int) -> list[Event]:
    """The day's events, each with the published articles it links to (two queries)."""
    readable = Prefetch("related", queryset=Article.objects.published().only("title", "slug"))
    return list(
        Event.objects.filter(month=month, day=day).order_by("year").prefetch_related(readable)
    )
