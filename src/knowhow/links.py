"""Absolute addresses of the site's pages, from KNOWHOW_SITE_URL when it is set.

Away from a request (emails written by the task worker) and without KNOWHOW_SITE_URL,
links use the first name in KNOWHOW_ALLOWED_HOSTS, over https when
KNOWHOW_BEHIND_HTTPS_PROXY is on, else over http with the `knowhow serve` port
(KNOWHOW_PORT, 8000) when that name is this machine: what a site run with `make serve`
answers to.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}


def absolute_url(request: HttpRequest, path: str) -> str:
    """The full address of a path: the configured site URL, else the request's own host."""
    if settings.SITE_URL:
        return settings.SITE_URL + path
    return request.build_absolute_uri(path)


def base_url(request: HttpRequest) -> str:
    """The site's address for this request, without a trailing slash: add a path to it."""
    return absolute_url(request, "/").removesuffix("/")


def on_site(path: str) -> str:
    """A path as feeds and sitemaps give it: absolute with KNOWHOW_SITE_URL, so it never
    depends on the Host header; without it, left for the framework to complete with the
    request's own host."""
    return settings.SITE_URL + path if settings.SITE_URL else path


def email_link_options() -> dict[str, object]:
    """Options for Django's password-reset view so emailed links use the site's own address
    (KNOWHOW_SITE_URL, else the address site_url() works out), never the Host header, port
    included, that a request sent."""
    parts = urlsplit(site_url())
    if parts.path not in ("", "/"):
        return {}
    return {"domain_override": parts.netloc, "use_https": parts.scheme == "https"}


def site_url() -> str:
    """The site's public address without a trailing slash, with no request to ask."""
    if settings.SITE_URL:
        return str(settings.SITE_URL)
    # A wildcard or a domain pattern (".example.org") names no single host to link to.
    hosts = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")]
    host = hosts[0] if hosts else "localhost"
    if settings.SECURE_PROXY_SSL_HEADER:
        return f"https://{host}"
    if host in LOOPBACK:
        return f"http://{host}:{os.environ.get('KNOWHOW_PORT') or '8000'}"
    return f"http://{host}"


def absolute(path: str) -> str:
    """The full address of a path, with no request to ask (emails, the task worker)."""
    return site_url() + path


class MessageIdDomain:
    """The domain email Message-IDs end with: the site's host (KNOWHOW_SITE_URL, else the
    host site_url() works out), not the machine's name, which is often "localhost" and
    makes mail look forged to spam filters. Read each time a message is written."""

    def __str__(self) -> str:
        return urlsplit(site_url()).hostname or "localhost"
