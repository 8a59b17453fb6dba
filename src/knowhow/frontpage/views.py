"""The home page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from knowhow.articles.models import Topic
from knowhow.articles.selectors import recent_articles
from knowhow.facts.selectors import fact_for, on_this_day


def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    context = {
        "articles": recent_articles(10),
        "topics": Topic.objects.all(),
        "fact": fact_for(today),
        "on_this_day": on_this_day(today),
    }
    return render(request, "frontpage/home.html", context)
