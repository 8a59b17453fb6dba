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


def says_spam(submission: Submission) -> bool | None:
    """True or False as the service answers; None when it is off, slow or broken."""
    if not is_enabled():
        return None
    data = urllib.parse.urlencode(
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
