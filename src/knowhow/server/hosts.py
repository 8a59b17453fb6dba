"""Requests for a host the site does not answer to: a 400 page saying so and one log line
naming KNOWHOW_ALLOWED_HOSTS, instead of Django's traceback for each one.

It runs before anything else asks for the host (the HTTPS redirect does), so it cannot sit
inside the middleware that add the security headers: its page sets them itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from csp.utils import build_policy
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

logger = logging.getLogger(__name__)

NOT_SERVED = gettext_lazy("This site is not served at the address you asked for.")


class UnknownHost:
    """Middleware, just inside the request log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            request.get_host()
        except DisallowedHost:
            if not _static_file(request):
                return refused(request)
        return self.get_response(request)


def _static_file(request: HttpRequest) -> bool:
    """Static files are the same for every host: the refusal page gets its stylesheet.
    (Unless the HTTPS redirect would ask for the host on the way.)"""
    static = "/" + str(settings.STATIC_URL).lstrip("/")
    return request.path.startswith(static) and (
        not settings.SECURE_SSL_REDIRECT or request.is_secure()
    )


def refused(request: HttpRequest) -> HttpResponse:
    host = request.META.get("HTTP_X_FORWARDED_HOST") if settings.USE_X_FORWARDED_HOST else None
    host = host or request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    # repr() keeps a hostile header on one line.
    logger.warning("refused a request for host %r: not in KNOWHOW_ALLOWED_HOSTS", host[:200])
    response = render(request, "400.html", {"reason": NOT_SERVED}, status=400)
    response["Cache-Control"] = "no-store"
    response["X-Frame-Options"] = settings.X_FRAME_OPTIONS
    response["Content-Security-Policy"] = build_policy()
    response["X-Content-Type-Options"] = "nosniff"
    if settings.SECURE_REFERRER_POLICY:
        response["Referrer-Policy"] = settings.SECURE_REFERRER_POLICY
    # The line above says it all; Django would add "Bad Request" for the same request.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
