"""Absolute addresses for emails, which are written by the task worker, far from any request.

With KNOWHOW_SITE_URL set, links use it. Without it they use the first name in
KNOWHOW_ALLOWED_HOSTS, over https when KNOWHOW_BEHIND_HTTPS_PROXY is on, else over http
with the `knowhow serve` port (KNOWHOW_PORT, 8000) when that name is this machine: what
a site run with `make serve` answers to.
"""

from __future__ import annotations

import os

from django.conf import settings

LOOPBACK = {"127.0.0.1", "localhost", "[::1]"}


def site_url() -> str:
    """The site's public address without a trailing slash."""
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
    return site_url() + path
