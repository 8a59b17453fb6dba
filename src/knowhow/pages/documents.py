"""Feeds, sitemaps, robots.txt and oEmbed answers: the same for every visitor, kept like pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

from knowhow import pagecache


def kept(
    request: HttpRequest,
    response: HttpResponse,
    tags: Iterable[str],
    expires: Callable[[], dt.datetime | None] | None = None,
) -> HttpResponse:
    """Offer a visitor-independent document to the page cache; answered live (to a visitor
    with a session) it says the same: anyone may keep it, asking again before reuse."""
    patch_cache_control(response, public=True, no_cache=True)
    return pagecache.mark(request, response, tags, expires)
