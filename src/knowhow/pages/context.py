"""Template context every page gets: the site's name, and the signed-in viewer's."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import escape

from knowhow import languages
from knowhow.pagecache.holes import hole


def site(request: HttpRequest) -> dict[str, Any]:
    language = translation.get_language() or settings.LANGUAGE_CODE
    context: dict[str, Any] = {
        "site_name": settings.SITE_NAME,
        # <html lang dir>: the language the page is drawn in (knowhow.languages).
        "page_lang": language,
        "page_dir": languages.direction(language),
    }
    if languages.several():
        # The switcher's choices, each named in its own language.
        context["site_languages"] = [
            {"code": code, "name": languages.name_local(code), "dir": languages.direction(code)}
            for code, _ in settings.LANGUAGES
        ]
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # The signed-in reader's name and page, as holes when the page goes to the cache.
        context["viewer"] = {
            "name": hole(request, "viewername", "", lambda: escape(user.username)),
            "url": hole(request, "viewerurl", "", lambda: reader_url(user)),
        }
    return context


def reader_url(user: Any) -> str:
    return _reader_url(get_script_prefix(), user.username)


@functools.lru_cache(maxsize=4096)
def _reader_url(prefix: str, username: str) -> str:
    # A kept reader's page names them on every request: the address is worked out once.
    return escape(reverse("reader", args=[username]))


def fill_viewer_name(arg: str, viewer: Any) -> str:
    return escape(viewer.username)


def fill_viewer_url(arg: str, viewer: Any) -> str:
    return reader_url(viewer)


class SiteName:
    """Middleware: a page's site_name is KNOWHOW_SITE_NAME, even where a view set its own.

    Django's sign-in and sign-out views name the site after the Host a request sent; a
    page shows the site's own name whatever address it was reached by.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_template_response(
        self, request: HttpRequest, response: TemplateResponse
    ) -> TemplateResponse:
        if response.context_data is not None and "site_name" in response.context_data:
            response.context_data["site_name"] = settings.SITE_NAME
        return response
