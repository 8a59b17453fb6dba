"""Where a moderator goes after acting. Who moderates (whoever holds the permission, staff
or not) is knowhow.articles.roles' answer."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.http import url_has_allowed_host_and_scheme


def back_to(request: HttpRequest, default: str) -> str:
    """Where a moderator goes after acting: the page they acted from (`next`, a path on this
    site only, as a form or link sends it), else `default`."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted.startswith("/") and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return default
