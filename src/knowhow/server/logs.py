"""What the site writes to its log: plain lines by default, or one JSON object per line
(KNOWHOW_LOG_FORMAT=json) for a log collector.

A JSON line holds the time, level, logger and message, and for a line written while a
request is served its method, path, status and duration so far; an exception is one field.
Nothing secret goes out: no cookies or headers, no query strings, and the parts of a path
that carry a token (password-reset and unsubscribe links, signed values) are replaced.
With the level at INFO each request also gets one line of its own (knowhow.requests).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.mail import mail_admins
from django.http import HttpRequest, HttpResponse
from django.utils.log import AdminEmailHandler
from django.utils.module_loading import import_string

REDACTED = "[redacted]"
# A path segment naming a link that carries a secret: everything after it is the secret.
_SECRET_LINK = re.compile(
    r"(/(?:reset|unsubscribe|confirm|confirmation|verify|activate|token|tokens)/)[^\s\"'<>?#]+"
)
# A signed value (Django's signing puts ':' between value and signature) as a segment.
_SIGNED_SEGMENT = re.compile(r"(?<=/)[^/\s\"'<>?#]*:[^/\s\"'<>?#]*(?=/|$|[\s\"'<>?#])")
_QUERY = re.compile(r"(/[^\s\"'<>?#]*)\?[^\s\"'<>#]*")

_request: ContextVar[dict[str, Any] | None] = ContextVar("knowhow_log_request", default=None)
access = logging.getLogger("knowhow.requests")
# KNOWHOW_ACCESS_LOG: one line for every request the server answers, from memory or not.
served = logging.getLogger("knowhow.access")


def redact(text: str) -> str:
    """The text with query strings and token-bearing path parts replaced."""
    text = _QUERY.sub(rf"\1?{REDACTED}", text)
    text = _SECRET_LINK.sub(rf"\1{REDACTED}/", text)
    return _SIGNED_SEGMENT.sub(REDACTED, text)


class JsonLines(logging.Formatter):
    """One JSON object per record, on one line."""

    def format(self, record: logging.LogRecord) -> str:
        moment = dt.datetime.fromtimestamp(record.created, tz=dt.UTC)
        entry: dict[str, Any] = {
            "time": moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        request = _request.get()
        if request is not None:
            entry["method"] = request["method"]
            entry["path"] = request["path"]
            status = request.get("status") or getattr(record, "status_code", None)
            if status is not None:
                entry["status"] = status
            entry["duration_ms"] = round((time.monotonic() - request["started"]) * 1000, 1)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        elif record.stack_info:
            entry["exception"] = redact(self.formatStack(record.stack_info))
        return json.dumps(entry, default=str)


class RequestLog:
    """Middleware, outermost: lets log lines name the request they belong to, and writes
    one line per request at INFO."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        fields: dict[str, Any] = {
            "method": request.method,
            "path": redact(request.path),
            "started": time.monotonic(),
        }
        token = _request.set(fields)
        try:
            response = self.get_response(request)
            fields["status"] = response.status_code
            # With the access log on, AccessLog writes the request's one line.
            if not settings.ACCESS_LOG and access.isEnabledFor(logging.INFO):
                took = (time.monotonic() - fields["started"]) * 1000
                access.info(
                    "%s %s %s %.1fms", fields["method"], fields["path"], response.status_code, took
                )
            return response
        finally:
            _request.reset(token)


class AccessLog:
    """WSGI, outside the page cache: one line for every request, pages answered from memory
    included: method, path (query strings and tokens redacted), status, bytes, time taken
    and whether the page cache answered. Addresses are not written (nginx has its own log)."""

    def __init__(self, application: Callable[..., Iterable[bytes]]) -> None:
        self.application = application

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        started = time.monotonic()
        seen: dict[str, Any] = {}

        def noting(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            seen["status"] = status.split(" ", 1)[0]
            seen["cache"] = next((v for k, v in headers if k.lower() == "x-cache"), "-")
            seen["bytes"] = next((v for k, v in headers if k.lower() == "content-length"), "-")
            return start_response(status, headers, exc_info)

        body = self.application(environ, noting)
        path = environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")
        if environ.get("QUERY_STRING"):
            path += "?" + environ["QUERY_STRING"]
        served.info(
            "%s %s %s %s %.1fms %s",
            environ.get("REQUEST_METHOD", "-"),
            redact(path),
            seen.get("status", "-"),
            seen.get("bytes", "-"),
            (time.monotonic() - started) * 1000,
            seen.get("cache", "-"),
        )
        return body


class QuietNotFound(logging.Filter):
    """A page not found is logged at INFO, not WARNING, and once: not at all when the
    request line (knowhow.requests, at INFO) already says 404."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) != 404:
            return True
        record.levelno, record.levelname = logging.INFO, "INFO"
        if access.isEnabledFor(logging.INFO):
            return False
        # The operator's level (KNOWHOW_LOG_LEVEL) is the root's; Django's own logger is
        # set to INFO whatever it is.
        return logging.getLogger().isEnabledFor(logging.INFO)


class RefusalWithoutTraceback(logging.Filter):
    """A request refused (403: no permission, a failed CSRF check) is the site working as
    meant: one WARNING line naming it, without the traceback of the refusal."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403:
            record.exc_info = None
            record.exc_text = None
            record.stack_info = None
        return True


ADMIN_MAIL_EVERY_SECONDS = 600
unmailed = logging.getLogger("knowhow.unmailed")


class QueuedAdminEmail(AdminEmailHandler):
    """Django's email to ADMINS about a server error, handed to the task worker: the
    request that failed does not wait for the mail server.

    `task` is the dotted name of the task that sends it (LOGGING names it), so running
    the site depends on no app for its emails."""

    def __init__(self, *, task: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.task = task

    def send_mail(self, subject: Any, message: Any, *args: Any, **kwargs: Any) -> None:
        if not settings.ADMINS:
            return
        from django.core.cache import cache

        # One email per error and page every ten minutes: a page that fails on every
        # request, or someone making it fail on purpose, cannot flood the admins' inbox.
        key = "admin-mail:" + hashlib.sha256(str(subject).encode()).hexdigest()[:32]
        try:
            first = cache.add(key, 1, timeout=ADMIN_MAIL_EVERY_SECONDS)
        except Exception:  # the cache away: better a second email than none
            first = True
        if not first:
            return
        try:
            import_string(self.task).enqueue(str(subject), str(message))
        except Exception as unqueued:  # no queue (the database away): send it now
            try:
                mail_admins(str(subject), str(message), html_message=kwargs.get("html_message"))
            except Exception as unsent:
                # Logging must never turn the failed page into a worse one: the report
                # goes to the log instead (a logger that mails no one).
                unmailed.error(
                    "could not queue (%s) or send (%s) the report to the admins: %s",
                    unqueued, unsent, subject,
                )  # fmt: skip
