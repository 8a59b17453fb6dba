"""The unsubscribe link of reply emails: a page with a button, and the one-click POST."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from knowhow.notifications import services
from knowhow.notifications.tokens import BadToken, read_token


# Mail clients send the one-click POST (RFC 8058) without a CSRF token; the signed token is
# the protection, and GET changes nothing, so link scanners cannot unsubscribe anyone.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber = read_token(token)
    except BadToken:
        return render(request, "notifications/bad_link.html", status=400)
    if request.method == "POST":
        services.unsubscribe(subscriber=subscriber)
        return render(request, "notifications/unsubscribed.html", {"email": subscriber.email})
    return render(request, "notifications/unsubscribe.html", {"email": subscriber.email})
