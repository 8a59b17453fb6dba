"""Old article addresses: a page not found under an address an article had once readers
saw it (articles.models.OldAddress) answers with a permanent redirect (301) to the same
page under the article's address now: the article, its print view, its posts and feed. A
form sent to an old address (a post typed on a page opened before the move) is sent on
with its words (308), so nothing typed is lost."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from knowhow.articles.models import OldAddress, published_q

_UNDER_ARTICLES = re.compile(r"^(?P<start>/articles/)(?P<slug>[-\w]+)(?P<rest>/.*)$")


def new_address(path: str) -> str | None:
    """The path of the page `path` was, under its article's address now; None when `path`
    is no published article's old address."""
    found = _UNDER_ARTICLES.match(path)
    if found is None:
        return None
    slug = (
        OldAddress.objects.filter(slug=found["slug"])
        .filter(published_q("article__"))
        .values_list("article__slug", flat=True)
        .first()
    )
    if slug is None:
        return None
    start = reverse("article", args=[slug])  # the site's prefix, if it is served under one
    return start + found["rest"].removeprefix("/")


class OldAddresses:
    """Answers a 404 under an article's old address with a 301 to its address now."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404:
            return response
        path = new_address(request.path_info)
        if path is None:
            return response
        query = request.META.get("QUERY_STRING", "")
        moved = HttpResponsePermanentRedirect(f"{path}?{query}" if query else path)
        if request.method not in ("GET", "HEAD"):
            moved.status_code = 308  # the same request again there, its form and all
        return moved
