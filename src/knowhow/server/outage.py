"""When the database cannot be reached or cannot write: a 503 in the site's look, one log
line, and the reader's text handed back.

Django would answer such a request with a bare 500 and a traceback in the log for every
request while the database is away. This middleware answers "unavailable, try again" with
Retry-After instead; the next request reconnects by itself, so the site recovers when the
database does. The page touches nothing that needs the database (no session, no account),
and a refused post or edit comes back in a form that sends it again.
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.views import defaults

from knowhow.outages import is_outage

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# The fields of the site's text forms a page may hand back (never a password).
KEPT_FIELDS = ("issued", "reply_to", "notify_email", "as")


def unavailable(request: HttpRequest, *, maybe_saved: bool = False) -> HttpResponse:
    """The styled 503, with the text the reader sent (if any) in a form to send it again.

    maybe_saved: the failure came after the view had answered (a session that could not be
    saved), so what was sent may be stored: the page says so rather than "not saved"."""
    text = request.POST.get("body", "") if request.method == "POST" else ""
    kept = [(name, request.POST[name]) for name in KEPT_FIELDS if text and name in request.POST]
    context = {
        "site_name": settings.SITE_NAME,
        "retry_after": RETRY_AFTER_SECONDS,
        "kept_text": text,
        "kept_fields": kept,
        "maybe_saved": maybe_saved,
        "csrf_token": get_token(request) if text else "",
    }
    response = HttpResponse(render_to_string("503.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseOutage:
    """Middleware: a view that fails because the database is away gets the styled 503."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not is_outage(exception):
            return None
        return logged_unavailable(request, exception)


def logged_unavailable(
    request: HttpRequest, error: BaseException, maybe_saved: bool = False
) -> HttpResponse:
    words = str(error).strip()
    logger.error(
        "database unavailable: %s %s answered 503: %s: %s",
        request.method,
        request.path,
        type(error).__name__,
        words.splitlines()[0][:200] if words else "",
        extra={"status_code": 503},
    )
    response = unavailable(request, maybe_saved=maybe_saved)
    # The line above says it all; Django would add a second, or a traceback.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the database failing outside a view (in a middleware) is an outage too."""
    error = sys.exc_info()[1]
    if error is not None and is_outage(error):
        # A middleware may fail on the way out, after the view stored what was sent.
        return logged_unavailable(request, error, maybe_saved=request.method == "POST")
    return defaults.server_error(request)
