"""The one call the discussion makes before storing a post: every anti-abuse layer, in order.

    passed = check_submission(submission, history=history)   # or raises Refused

Cheapest first: bans, the caller's own earlier copy of the text (answered with that copy,
before anything is counted), a form used before, form timing, rate limits, then the spam
score. A refusal
carries a message for the reader and a code for the response; a refused post is not
counted against the reader's rate limit.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Generic, Literal, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpResponse

from knowhow.antiabuse import bans, ratelimit, reasons, services
from knowhow.antiabuse.addresses import Address
from knowhow.antiabuse.spam import PostHistory, SpamGuard, Submission, Verdict
from knowhow.antiabuse.texts import ReaderText

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PostT = TypeVar("PostT")

# Refusals a reader can wait out, or that are not theirs to fix, get their own status; any
# other (a closed article, a post sent too fast) is a 400.
REFUSAL_STATUS = {"banned": 403, "rate_limited": 429, "unavailable": 503}


class Refused(Exception):
    """A post that must not be stored, with a message for the reader and a short code
    ("banned", "too_fast", "rate_limited", ...) the caller maps to a response."""

    def __init__(self, message: StrOrPromise, code: str, retry_after: int | None = None) -> None:
        message = str(message)  # a lazy sentence, in the language of the request refused
        super().__init__(message)
        self.message = message
        self.code = code
        self.retry_after = retry_after

    @property
    def status(self) -> int:
        """The HTTP status of the page that gives the form back with this refusal."""
        return REFUSAL_STATUS.get(self.code, 400)

    def answer(self, response: HttpResponse) -> HttpResponse:
        """That page (rendered with self.status), saying when to try again if the reader
        must wait."""
        if self.retry_after:
            response["Retry-After"] = str(self.retry_after)
        return response


@dataclass(frozen=True)
class Passed(Generic[PostT]):
    """A submission the layers let through: the spam verdict (held or not), whether the
    author is shadow-hidden, and the earlier copy when the reader had sent it already."""

    verdict: Verdict
    shadow: bool = False
    earlier_copy: PostT | None = None


def check_submission(
    submission: Submission, *, history: PostHistory[PostT], now: dt.datetime | None = None
) -> Passed[PostT]:
    """Run every layer on the submission, cheapest first; raise Refused or say how it went."""
    standing = check_standing(submission.account or submission.author, submission.address)

    earlier = history.earlier_copy(submission)
    if earlier is not None:
        return Passed(Verdict(), standing.shadow, earlier)
    if submission.form_nonce and history.form_used(submission.form_nonce):
        raise form_used()

    _check_timing(submission)
    counted = _check_rate(submission)
    verdict = SpamGuard().judge(submission, history=history, now=now)
    if verdict.refuse:
        ratelimit.undo(*counted)  # a refused post is not counted against the reader
        raise blocked(verdict)
    return Passed(verdict, standing.shadow)


def blocked(verdict: Verdict) -> Refused:
    """The refusal of a text a blocklist term refuses outright, saying which, so a reader
    who meant no harm knows what to change; the caller gives the text back."""
    said = [reasons.refused_for(signal.code, signal.term) for signal in verdict.refuse]
    return Refused(reasons.blocked(said), "blocked")


def form_used() -> Refused:
    # A form replayed by a script, or sent again from a stale tab: one form, one post.
    return Refused(reasons.FORM_USED, "form_used")


def check_standing(account: User | None, address: Address) -> bans.Standing:
    """The reader's standing for any action (posting, editing, reporting): Refused when
    the signed-in account or the address is banned, whatever name the action goes out under."""
    standing = bans.standing(account, address)
    if standing.carried is not None:
        services.carry_ban_forward(ban=standing.carried, address=address)
    if standing.banned is not None:
        raise Refused(reasons.banned(standing.banned.expires_at), "banned")
    return standing


def check_edit(
    body: str | ReaderText, *, author: User | None, history: PostHistory[object]
) -> Verdict:
    """The signals of a reader's correction of a post already stored: its text, and the
    same text posted or edited into posts elsewhere today; Refused ("blocked") when a
    blocklist term refuses it outright."""
    verdict = SpamGuard().judge_edit(body, author=author, history=history)
    if verdict.refuse:
        raise blocked(verdict)
    return verdict


def _check_timing(submission: Submission) -> None:
    # A person reads before they write; a script posts the moment the page loads.
    age = submission.form_age
    if age is not None and age < settings.MIN_SUBMIT_SECONDS:
        least = settings.MIN_SUBMIT_SECONDS
        raise Refused(
            reasons.too_fast(age=age, least=least),
            "too_fast",
            retry_after=reasons.too_fast_wait(age=age, least=least),
        )


def _check_rate(submission: Submission) -> tuple[str, list[tuple[int, int]], float]:
    """Count the post against the reader's limit; what was counted, to take it back."""
    account = submission.account or submission.author
    moment = time.time()
    if account is not None:  # posting anonymously from an account still counts for it
        key, rates = f"user:{account.pk}", settings.POST_RATE_ACCOUNT
    else:
        key, rates = f"ip:{submission.address.reader_hash}", settings.POST_RATE_ANONYMOUS
    limited = ratelimit.hit(key, rates, now=moment)
    if limited is not None:
        raise _too_fast("posting", limited)
    return key, rates, moment


def check_report_rate(account: User | None, address: Address) -> None:
    """Count a report against the reader's account, address (an IPv6 reader's /64) and
    network (/24, /48); Refused ("rate_limited") past any of their limits, counting nothing.
    Each limit is its own: an army of accounts shares its address's and network's."""
    moment = time.time()
    keys = [
        (f"report-address:{address.reader_hash}", settings.REPORT_RATE_ADDRESS),
        (f"report-network:{address.network_hash}", settings.REPORT_RATE_NETWORK),
    ]
    if account is not None:
        keys.insert(0, (f"report-account:{account.pk}", settings.REPORT_RATE_ACCOUNT))
    counted: list[tuple[str, list[tuple[int, int]]]] = []
    for key, rates in keys:
        limited = ratelimit.hit(key, rates, now=moment)
        if limited is not None:
            for done, done_rates in counted:  # a refused report counts nowhere
                ratelimit.undo(done, done_rates, moment)
            raise _too_fast("reporting", limited)
        counted.append((key, rates))


def _too_fast(doing: Literal["posting", "reporting"], limited: ratelimit.Limited) -> Refused:
    """The refusal of a step taken past its rate limit: how long to wait, in whole minutes."""
    return Refused(
        reasons.rate_limited(doing=doing, retry_after=limited.retry_after),
        "rate_limited",
        retry_after=limited.retry_after,
    )
