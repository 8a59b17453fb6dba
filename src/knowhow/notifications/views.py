"""The links of notification emails: unsubscribing (a page with a button, and the one-click
POST), and confirming an address for reply emails (a page with a button)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from knowhow.notifications import services
from knowhow.notifications.confirmations import ConfirmRefused, confirm_address
from knowhow.notifications.recipients import is_confirmed, is_opted_out
from knowhow.notifications.tokens import BadToken, ExpiredToken, read_confirm_token, read_token


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


# A link scanner that opens the link only GETs it: the yes is the POST of the page's button.
@never_cache
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        email = read_confirm_token(token)
    except ExpiredToken:
        return _refused(request, "expired")
    except BadToken:
        return _refused(request, "bad")
    context = {"email": email}
    if request.method == "POST":
        try:
            confirm_address(email=email)
        except ConfirmRefused as refusal:
            return _refused(request, refusal.code, email)
        return render(request, "notifications/confirmed.html", context)
    if is_confirmed(email):
        return _refused(request, "used", email)
    if is_opted_out(email):
        return _refused(request, "opted_out", email)
    return render(request, "notifications/confirm.html", context)


def _refused(request: HttpRequest, reason: str, email: str = "") -> HttpResponse:
    context = {"reason": reason, "email": email}
    return render(request, "notifications/confirm_refused.html", context, status=400)
