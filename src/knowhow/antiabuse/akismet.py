"""An optional Akismet-compatible spam checker, off unless KNOWHOW_AKISMET_KEY is set."""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings

from knowhow.links import site_url

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 3


@dataclass(frozen=True)
class Submission:
    body: str
    user_ip: str
    user_agent: str
    referrer: str
    permalink: str
    author: str
    author_email: str


def is_enabled() -> bool:
    return bool(settings.AKISMET_KEY)


def _fields(submission: Submission) -> bytes:
    return urllib.parse.urlencode(
        {
            "api_key": settings.AKISMET_KEY,
            "blog": site_url() + "/",
            "user_ip": submission.user_ip,
            "user_agent": submission.user_agent,
            "referrer": submission.referrer,
            "permalink": submission.permalink,
            "comment_type": "comment",
            "comment_author": submission.author,
            "comment_author_email": submission.author_email,
            "comment_content": submission.body,
        }
    ).encode()


def says_spam(submission: Submission) -> bool | None:
    """True or False as the service answers; None when it is off, slow or broken."""
    if not is_enabled():
        return None
    data = _fields(submission)
    request = urllib.request.Request(settings.AKISMET_URL, data=data, method="POST")  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read(100).decode().strip()
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        log.warning("spam checker unreachable, post judged without it: %s", exc)
        return None
    if answer not in ("true", "false"):
        log.warning("spam checker answered %r, post judged without it", answer[:40])
        return None
    return answer == "true"


def _endpoint(method: str) -> str:
    """The address of another method of the same service: KNOWHOW_AKISMET_URL names
    comment-check, and the others sit beside it (submit-ham, submit-spam)."""
    return settings.AKISMET_URL.rsplit("/", 1)[0] + f"/{method}"


def tell_not_spam(submission: Submission) -> bool:
    """Tell the service a post taken for spam is not (submit-ham), so it learns; whether it
    took the report. Nothing is sent when it is off."""
    return _tell("submit-ham", "not spam", submission)


def tell_spam(submission: Submission) -> bool:
    """Tell the service a post it let through is spam (submit-spam), so it learns; whether
    it took the report. Nothing is sent when it is off."""
    return _tell("submit-spam", "spam", submission)


def _tell(method: str, what: str, submission: Submission) -> bool:
    if not is_enabled():
        return False
    request = urllib.request.Request(  # noqa: S310
        _endpoint(method), data=_fields(submission), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read(200)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        log.warning("spam checker unreachable, could not report a post as %s: %s", what, exc)
        return False
    return True
