"""Request bodies over the site's cap are refused before anything reads them.

Django reads a form body in full, and spools uploaded files to disk, as soon as anything
touches `request.POST` (the CSRF check does, for every POST). A body larger than any form of
the site needs is refused here by its declared length, first in the middleware, so a 100 MB
post costs neither memory nor disk; a body shorter than declared is cut at the declared
length by Django's own stream. Views that take an uploaded picture say so with
`@takes_upload`, and take up to the picture limit on top of the cap.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

logger = logging.getLogger(__name__)

View = TypeVar("View", bound=Callable[..., Any])

TOO_LARGE = (
    "This request was larger than the site accepts ({size}), so nothing was read or saved. "
    "Go back: what you typed is still in the form there."
)


def takes_upload(view: View) -> View:
    """Mark a view that receives an uploaded picture: its bodies may be a picture larger."""
    view.takes_upload = True  # type: ignore[attr-defined]
    return view


def limit_for(request: HttpRequest) -> int:
    """The largest body this request's address accepts, in bytes."""
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        return settings.REQUEST_MAX_BYTES
    extra = settings.IMAGE_MAX_BYTES if getattr(view, "takes_upload", False) else 0
    return settings.REQUEST_MAX_BYTES + extra


# Bodies up to this many times the limit are read and dropped rather than cut off.
DRAIN_FACTOR = 4


def _drain(request: HttpRequest, declared: int) -> None:
    stream = request.META.get("wsgi.input")
    left = declared
    while stream is not None and left > 0:
        chunk = stream.read(min(left, 64 * 1024))
        if not chunk:
            break
        left -= len(chunk)


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


class RequestSizeLimit:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads no body it cannot measure
        if declared > settings.REQUEST_MAX_BYTES:
            limit = limit_for(request)
            if declared > limit:
                logger.warning(
                    "Refused a %d-byte body to %s (limit %d)", declared, request.path, limit
                )
                answer = render(
                    request,
                    "400.html",
                    {"reason": TOO_LARGE.format(size=_megabytes(declared)), "status": 413},
                    status=413,
                )
                if declared <= DRAIN_FACTOR * limit:
                    # A proxy in front (nginx) has the whole body and sends it on: taken and
                    # dropped unparsed, so the proxy is not cut off mid-body (its 502).
                    _drain(request, declared)
                else:
                    # Too much even to drop: closing tells the client to stop sending.
                    answer["Connection"] = "close"
                return answer
        return self.get_response(request)
