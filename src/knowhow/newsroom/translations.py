"""The newsroom's list of translations to write or bring up to date: each published
original with a translation missing in a language the site offers, or older than it."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from knowhow.articles import translations
from knowhow.newsroom.access import newsroom_staff

PAGE_SIZE = 25


@newsroom_staff
@require_safe
def translations_to_do(request: HttpRequest) -> HttpResponse:
    page = Paginator(translations.needing_work(), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "section": "translations",
        "page": page,
        "rows": translations.rows_for(list(page.object_list)),
        "languages": translations.wanted_languages(),
    }
    return render(request, "newsroom/translations.html", context)


urlpatterns: list[URLPattern] = [
    path("translations/", translations_to_do, name="newsroom-translations"),
]
