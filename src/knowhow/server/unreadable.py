"""Requests the site cannot read get a 400 page saying why, before any check or view reads them.

Django leaves a form body declared in a charset other than UTF-8 unread and raises each time
it is read, the error page's own CSRF check included, which turns a 400 into an empty 500
with no security headers. This middleware, last in the list, reads every form body first, so
its answer still passes through the security, CSP and frame middleware on the way out.
A NUL character in an address names no page, and PostgreSQL refuses it in a query.
"""

from __future__ import annotations

import codecs
import logging
from collections.abc import Callable

from django.core.exceptions import BadRequest, RequestDataTooBig, SuspiciousOperation
from django.http import HttpRequest, HttpResponse, JsonResponse, UnreadablePostError
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import render
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}
NOT_UTF8 = gettext_lazy(
    "This form was sent in a character set other than UTF-8, which this site does not read. "
    "Go back, reload the page and send it again from there."
)
TOO_BIG = gettext_lazy(
    "This form was larger than the site accepts. Please shorten it and send it again."
)
UNREADABLE = gettext_lazy(
    "This form arrived incomplete or malformed, so nothing was saved. "
    "Go back, reload the page and send it again."
)
# The API's addresses (knowhow.api), which answer in JSON.
API_PREFIX = "/api/"
NUL_IN_ADDRESS = gettext_lazy("This address contains a character no page address has (a NUL).")


class UnreadableRequestMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        reason = why_unreadable(request)
        if reason:
            logger.warning("Bad request to %s: %s", request.path, reason)
            if request.path.startswith(API_PREFIX):  # programs get the API's error body
                body = {"code": "unreadable", "message": reason, "errors": {}}
                return JsonResponse(body, status=400)
            return render(request, "400.html", {"reason": reason}, status=400)
        return self.get_response(request)


def why_unreadable(request: HttpRequest) -> str:
    """What keeps the site from reading the request, in words for the sender; "" if nothing."""
    if "\x00" in request.path or any(
        "\x00" in key or any("\x00" in value for value in values)
        for key, values in request.GET.lists()
    ):
        return str(NUL_IN_ADDRESS)
    if request.method != "POST" or request.content_type not in FORM_TYPES:
        return ""
    charset = (request.content_params or {}).get("charset")
    if charset is not None:
        if _codec(charset) != "utf-8":
            return str(NOT_UTF8)
        request.encoding = "utf-8"  # "utf8" and "UTF_8" too, which Django would refuse
    try:
        request.POST  # noqa: B018 - read now, while a failure can still get its own page
    except RequestDataTooBig:
        return str(TOO_BIG)
    except (BadRequest, SuspiciousOperation, MultiPartParserError, UnreadablePostError):
        return str(UNREADABLE)
    return ""


def _codec(charset: str) -> str:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return ""
