"""The site's own checks for `knowhow check --deploy`: settings that each look fine alone
but do not fit together."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.http.request import split_domain_port, validate_host


@register(Tags.security, deploy=True)
def site_url_is_served(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """KNOWHOW_SITE_URL is where emailed links and canonical addresses point: the site
    must answer there."""
    if not settings.SITE_URL:
        return [
            Warning(
                "KNOWHOW_SITE_URL is not set: emailed links and canonical addresses use the "
                "first name in KNOWHOW_ALLOWED_HOSTS.",
                hint="Set KNOWHOW_SITE_URL to the public address, e.g. https://example.org",
                id="knowhow.W001",
            )
        ]
    domain, _port = split_domain_port(urlsplit(settings.SITE_URL).netloc.rpartition("@")[2])
    if not domain or not validate_host(domain, settings.ALLOWED_HOSTS):
        return [
            Error(
                f"The host of KNOWHOW_SITE_URL ({domain or settings.SITE_URL!r}) is not in "
                "KNOWHOW_ALLOWED_HOSTS: every link the site sends would be refused.",
                hint=f"Add {domain} to KNOWHOW_ALLOWED_HOSTS, or correct KNOWHOW_SITE_URL.",
                id="knowhow.E001",
            )
        ]
    return []
