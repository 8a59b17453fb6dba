"""The site's own checks for `knowhow check --deploy`: settings that each look fine alone
but do not fit together, values left as the example has them, and whether the database,
the cache and the mail server answer (and what they said)."""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import CheckMessage, Error, Info, Tags, Warning, register
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


# Values the shipped example (deploy/knowhow.env.example) holds until someone fills them in.
_PLACEHOLDER = "change-me"


@register(Tags.security, deploy=True)
def example_values_filled_in(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The example settings copied as they are would run a site whose key and passwords are
    the example's."""
    left = sorted(
        name
        for name, value in os.environ.items()
        if name.startswith("KNOWHOW_") and _PLACEHOLDER in value.lower()
    )
    if not left:
        return []
    return [
        Error(
            f"{', '.join(left)} still hold the example's '{_PLACEHOLDER}'.",
            hint="Fill in the site's own key and passwords (and the host names after them).",
            id="knowhow.E002",
        )
    ]


@register(Tags.security, deploy=True)
def https_fits_together(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    found: list[CheckMessage] = []
    if settings.BEHIND_HTTPS_PROXY and settings.SITE_URL.startswith("http://"):
        found.append(
            Error(
                f"KNOWHOW_SITE_URL ({settings.SITE_URL}) is http:// but the site is behind an "
                "HTTPS proxy (KNOWHOW_BEHIND_HTTPS_PROXY): emailed links would go out in clear "
                "and be redirected.",
                hint="Make KNOWHOW_SITE_URL https://",
                id="knowhow.E003",
            )
        )
    if "*" in settings.ALLOWED_HOSTS:
        found.append(
            Warning(
                "KNOWHOW_ALLOWED_HOSTS holds '*': any Host header is taken, so a request can "
                "make the site name another host in its pages.",
                hint="List the site's own host names, e.g. example.org,www.example.org",
                id="knowhow.W002",
            )
        )
    return found


@register(Tags.security, deploy=True)
def proxy_count_set(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Behind a proxy, without KNOWHOW_TRUSTED_PROXY_COUNT every reader is one address."""
    from knowhow.antiabuse import proxies

    if settings.TRUSTED_PROXY_COUNT_SET:
        return []
    seen = proxies.seen_unset()
    if seen is None and not settings.BEHIND_HTTPS_PROXY:
        return []
    why = (
        f"requests came through a proxy (X-Forwarded-For, first at {seen})"
        if seen
        else "the site is behind a proxy (KNOWHOW_BEHIND_HTTPS_PROXY)"
    )
    return [
        Warning(
            f"KNOWHOW_TRUSTED_PROXY_COUNT is not set but {why}: every reader has the proxy's "
            "address, so all share one rate limit and one ban.",
            hint="Set KNOWHOW_TRUSTED_PROXY_COUNT to the number of proxies in front of the "
            "site: 1 behind deploy/nginx, 2 with a load balancer or CDN before it.",
            id="knowhow.W003",
        )
    ]


# Seconds each service is given to answer `check --deploy` (all three are asked at once).
PROBE_SECONDS = 8.0


@register(Tags.database, deploy=True)
def services_answer(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Connects to the database, the cache and the mail server and says what it found."""
    from knowhow.server import preflight, probes

    what = {
        "database": preflight.describe_database(),
        "cache": preflight.describe_cache(),
        "mail": preflight.describe_mail(),
    }
    found = probes.all_within(
        PROBE_SECONDS,
        {
            "database": probes.database,
            "cache": probes.cache_round_trip,
            "mail": probes.mail_server,
        },
    )
    messages: list[CheckMessage] = []
    for number, (part, probe) in enumerate(found.items(), start=1):
        line = f"{part}: {what[part]}: {probe.found}"
        if probe.ok:
            messages.append(Info(line, id=f"knowhow.I00{number}"))
        else:
            messages.append(
                Error(
                    line,
                    hint=_FIX[part],
                    id=f"knowhow.E01{number}",
                )
            )
    return messages


_FIX = {
    "database": "Check KNOWHOW_DATABASE_URL: the server, the database's name and the account.",
    "cache": "Check KNOWHOW_CACHE_URL, and that the Redis server is running.",
    "mail": "Check KNOWHOW_EMAIL_URL (or EMAIL_*): host, port, TLS and the account.",
}
