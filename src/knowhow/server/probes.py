"""Asking the database, the cache and the mail server whether they answer, each within a
deadline: `/healthz` and `check --deploy` both ask here, and a server that hangs (stopped,
unplugged) costs the asker the deadline, never more."""

from __future__ import annotations

import secrets
import smtplib
import ssl
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connections


@dataclass(frozen=True)
class Probe:
    ok: bool
    # What was found, for the operator: "PostgreSQL 16.4 answered", "no answer in 2 s".
    found: str


def within(seconds: float, ask: Callable[[], str]) -> Probe:
    """ask() in a thread of its own: its answer, its error, or "no answer" after seconds.

    A thread left waiting on a hung server ends when its own timeouts give up (the
    database's connect_timeout, the cache's socket timeouts); the asker does not wait."""
    return all_within(seconds, {"": ask})[""]


def all_within(seconds: float, asks: dict[str, Callable[[], str]]) -> dict[str, Probe]:
    """Each ask() at once, each in its own thread, all given the same deadline."""
    results: dict[str, Probe] = {}

    def run(name: str, ask: Callable[[], str]) -> None:
        try:
            results[name] = Probe(True, ask())
        except Exception as error:  # any failure is the answer
            words = str(error).strip().splitlines()
            results[name] = Probe(False, words[0] if words else type(error).__name__)
        finally:
            # A connection opened by this thread is its own: close it, so none is left.
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=item, name="knowhow-probe", daemon=True)
        for item in asks.items()
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + seconds
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return {name: results.get(name, Probe(False, f"no answer in {seconds:g} s")) for name in asks}


def database() -> str:
    connection = connections["default"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]} answered"
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return f"{connection.display_name} answered"


def cache_round_trip() -> str:
    key = f"knowhow:probe:{secrets.token_hex(6)}"
    cache.set(key, "1", timeout=30)
    found = cache.get(key)
    cache.delete(key)
    if found != "1":
        raise RuntimeError("a value written could not be read back")
    return "a value was written and read back"


def mail_server() -> str:
    """Greets the SMTP server (and starts TLS or logs in when the settings say so)."""
    backend = settings.EMAIL_BACKEND
    if not backend.endswith("smtp.EmailBackend"):
        return "no mail server to reach (mail is not sent by SMTP)"
    host, port = settings.EMAIL_HOST, int(settings.EMAIL_PORT)
    timeout = float(getattr(settings, "EMAIL_TIMEOUT", None) or 5)
    context = ssl.create_default_context()
    server: smtplib.SMTP
    if settings.EMAIL_USE_SSL:
        server = smtplib.SMTP_SSL(host, port, timeout=timeout, context=context)
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
    try:
        server.ehlo()
        if settings.EMAIL_USE_TLS:
            server.starttls(context=context)
            server.ehlo()
        if settings.EMAIL_HOST_USER:
            server.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
    finally:
        try:
            server.quit()
        except smtplib.SMTPException:
            server.close()
    signed_in = " and took the sign-in" if settings.EMAIL_HOST_USER else ""
    return f"{host}:{port} answered{signed_in}"
