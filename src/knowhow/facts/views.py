"""Pages of the "did you know" facts and the "on this day" calendar."""

from __future__ import annotations

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from knowhow.facts.models import Fact, day_label, day_url
from knowhow.facts.selectors import events_of_day


def fact(request: HttpRequest, slug: str) -> HttpResponse:
    fact = get_object_or_404(Fact.objects.select_related("topic"), slug=slug)
    related = fact.related.published().select_related("topic")
    return render(request, "facts/fact.html", {"fact": fact, "related": related})


def fact_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(Fact.objects.select_related("topic"), 30).get_page(request.GET.get("page"))
    return render(request, "facts/fact_list.html", {"page": page})


def today(request: HttpRequest) -> HttpResponse:
    now = timezone.localdate()
    return redirect(day_url(now.month, now.day))


def on_this_day(request: HttpRequest, month: int, day: int) -> HttpResponse:
    try:
        date = dt.date(2000, month, day)  # a leap year, so 29 February exists
    except ValueError:
        raise Http404("No such day") from None
    previous, following = date - dt.timedelta(days=1), date + dt.timedelta(days=1)
    if following.year != 2000:
        following = following.replace(year=2000)
    if previous.year != 2000:
        previous = previous.replace(year=2000)
    context = {
        "label": day_label(month, day),
        "events": events_of_day(month, day),
        "previous": (
            day_label(previous.month, previous.day),
            day_url(previous.month, previous.day),
        ),
        "next": (
            day_label(following.month, following.day),
            day_url(following.month, following.day),
        ),
        "is_today": (month, day) == (timezone.localdate().month, timezone.localdate().day),
    }
    return render(request, "facts/on_this_day.html", context)
