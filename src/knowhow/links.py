"""Absolute addresses of the site's pages, from KNOWHOW_SITE_URL when it is set."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest


def absolute_url(request: HttpRequest, path: str) -> str:
    """The full address of a path: the configured site URL, else the request's own host."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def email_link_options() -> dict[str, object]:
    """Options for Django's password-reset view so emailed links use the configured address."""
    if not settings.SITE_URL:
        return {}
    parts = urlsplit(settings.SITE_URL)
    if parts.path not in ("", "/"):
        return {}
    return {"domain_override": parts.netloc, "use_https": parts.scheme == "https"}
