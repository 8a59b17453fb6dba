"""The spam guard: one score from every signal a submission gives, and the reasons for it.

What the guard needs to know about stored posts it asks the caller through PostHistory, so
this app never reads the discussion's tables.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol, TypeVar, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone

from knowhow import sql_rows
from knowhow.antiabuse import akismet, reasons
from knowhow.antiabuse.addresses import Address
from knowhow.antiabuse.fingerprints import links_fingerprint
from knowhow.antiabuse.models import BlockedTerm, SpamPrint
from knowhow.antiabuse.reading import Reading, fold, host_name
from knowhow.antiabuse.texts import ReaderText
from knowhow.pagecache.fragments import fragments


@dataclass(frozen=True)
class Submission:
    """What a reader sent and what the request said about it."""

    body: str
    author: User | None
    address: Address
    form_age: float | None = None
    user_agent: str = ""
    referrer: str = ""
    permalink: str = ""
    notify_email: str = ""
    # The signed-in account behind the request, whatever name the post goes out under:
    # bans, shadow-hiding and rate limits follow the account, also when it posts anonymously.
    account: User | None = None
    # The nonce of the form this came from: one form makes at most one post.
    form_nonce: str = ""
    # Where it goes holds each account's first post for a moderator (a topic's choice).
    hold_first_post: bool = False

    @cached_property
    def text(self) -> ReaderText:
        """The body read once: every layer, and the caller storing it, share its HTML,
        reading and fingerprint."""
        return ReaderText(self.body)


PostT_co = TypeVar("PostT_co", covariant=True)


class PostHistory(Protocol[PostT_co]):
    """What the layers ask about stored posts; the discussion answers (discussion.history)."""

    def earlier_copy(self, submission: Submission) -> PostT_co | None:
        """The same reader's post of the same text, stored lately, if any."""
        ...

    def repeats_elsewhere(self, fingerprint: str, since: dt.datetime) -> int:
        """In how many threads a text with this fingerprint was posted or edited in since."""
        ...

    def has_published_post(self, user: User) -> bool:
        """Whether the account has a post that a moderator let through, or that needed none."""
        ...

    def is_established(self, user: User) -> bool:
        """Whether the account is an established reader (the site's one definition)."""
        ...

    def form_used(self, nonce: str) -> bool:
        """Whether a post was already made from the form with this nonce."""
        ...


@dataclass(frozen=True)
class Signal:
    """One thing the guard noticed: a code callers branch on, and words for the log."""

    code: str
    text: str
    points: float = 0
    # What the reader is told of it, in plain words (antiabuse.reasons).
    plain: str = ""
    # The blocklist term it met, if any: what a refusal names to the reader.
    term: str = ""


# The codes of signals, and of policies that hold a post whatever its score (named in
# antiabuse.reasons, with what the reader is told of each).
TOO_MANY_LINKS = reasons.TOO_MANY_LINKS
BLOCKED_WORD = reasons.BLOCKED_WORD
BLOCKED_DOMAIN = reasons.BLOCKED_DOMAIN
REPEATED_ELSEWHERE = reasons.REPEATED_ELSEWHERE
CHECKER_SAYS_SPAM = reasons.CHECKER_SAYS_SPAM
LIKE_MARKED_SPAM = reasons.LIKE_MARKED_SPAM
ANONYMOUS_NEEDS_APPROVAL = reasons.ANONYMOUS_NEEDS_APPROVAL
FIRST_POST_NEEDS_APPROVAL = reasons.FIRST_POST_NEEDS_APPROVAL


@dataclass
class Verdict:
    score: float = 0
    signals: list[Signal] = field(default_factory=list)
    needs_approval: list[Signal] = field(default_factory=list)
    # Blocklist terms whose action is to refuse the post outright (checks.check_submission
    # raises Refused), or to publish it and report it to the moderators.
    refuse: list[Signal] = field(default_factory=list)
    review: list[Signal] = field(default_factory=list)

    def add(self, points: float, code: str, text: str, plain: str = "") -> None:
        self.score += points
        self.signals.append(Signal(code, text, points, plain or reasons.held(code)))

    @property
    def reasons(self) -> list[str]:
        return [signal.text for signal in self.signals]

    @property
    def codes(self) -> list[str]:
        """The codes of what was noticed, policies first, each once, in order."""
        return list(dict.fromkeys(s.code for s in [*self.needs_approval, *self.signals]))

    @property
    def hold(self) -> bool:
        return self.score >= settings.SPAM_THRESHOLD or bool(self.needs_approval)

    @property
    def code(self) -> str:
        """The code of the main reason (a policy before a signal): a held post's held_code."""
        codes = self.codes
        return codes[0] if codes else ""

    @property
    def plain_reasons(self) -> list[str]:
        """Why the post is held, in the reader's words: each reason once, policies first."""
        said = [s.plain or reasons.held(s.code) for s in self.needs_approval]
        said += [s.plain for s in self.signals]
        return list(dict.fromkeys(text for text in said if text))

    def explain(self) -> str:
        return "; ".join(signal.text for signal in [*self.needs_approval, *self.signals])


# A text shorter than this is too common to learn from ("Thanks!", "Great article").
MIN_LEARNED_LENGTH = 20

# Whose posts the link limit applies to.
ANONYMOUS, NEW_ACCOUNT = "anonymous", "new account"


def _link_limited(author: User | None, history: PostHistory[object]) -> str:
    """Whom the anonymous link limit holds: anonymous readers, and accounts not yet
    established (a day-old account is no more known than an anonymous reader)."""
    if author is None:
        return ANONYMOUS
    return "" if history.is_established(author) else NEW_ACCOUNT


# The page-cache tag every change to the blocklist stamps (antiabuse/apps.py).
BLOCKLIST_TAG = "blocklist"


@dataclass(frozen=True)
class Term:
    """A blocklist entry as the guard uses it."""

    kind: str
    value: str
    match: str = BlockedTerm.Match.WORDS
    action: str = BlockedTerm.Outcome.HOLD


def blocked_terms() -> list[Term]:
    """The blocklist: one query, then kept in memory until a word or domain is added or
    removed in any process."""

    def read() -> tuple[list[Term], list[str], None]:
        rows = BlockedTerm.objects.values_list("kind", "value", "match", "action")
        return [Term(*row) for row in rows], [BLOCKLIST_TAG], None

    return cast(list[Term], fragments().get_or_make("antiabuse:blocklist", read))


# Endings a whole word may take and still be the word: plurals, possessives, verb forms.
_ENDINGS = "(?:s|es|'s|’s|ed|d|ing|er|ers)?"
_VOWELS = "aeiou"


def _forms(word: str) -> list[str]:
    """A word's stems the endings attach to: "pharmacy" also as "pharmac" + "ies"."""
    forms = [re.escape(word)]
    if len(word) > 2 and word.endswith("y") and word[-2] not in _VOWELS:
        forms.append(re.escape(word[:-1]) + "(?:ies|ied)")
    if len(word) > 2 and word.endswith("e"):
        forms.append(re.escape(word[:-1]) + "(?:ing|ed)")
    return forms


def word_pattern(value: str, match: str = BlockedTerm.Match.WORDS) -> re.Pattern[str] | None:
    """How a blocked word or phrase is found in folded text: inside any word, or as whole
    words whose last may take a plural or inflected ending ("casino": "casinos", not
    "casinoroyale"). None for a term that folds to nothing."""
    needle = " ".join(fold(value).split())
    if not needle:
        return None
    if match == BlockedTerm.Match.INSIDE:
        return re.compile(r"\s+".join(re.escape(part) for part in needle.split(" ")))
    *head, last = needle.split(" ")
    lead = "".join(re.escape(part) + r"\s+" for part in head)
    return re.compile(rf"(?<!\w){lead}(?:{'|'.join(_forms(last))}){_ENDINGS}(?!\w)")


def term_matches(term: Term, reading: Reading) -> bool:
    """Whether a post, as the guard reads it, meets the blocklist term."""
    if term.kind == BlockedTerm.Kind.WORD:
        word = word_pattern(term.value, term.match)
        return word is not None and bool(
            word.search(reading.text) or word.search(reading.addresses)
        )
    domain = host_name(term.value)
    return bool(domain) and (
        any(host == domain or host.endswith("." + domain) for host in reading.hosts)
        # Named in the text without a scheme: not a link, but an advert all the same.
        or re.search(rf"(?<![\w.-]){re.escape(domain)}(?!\.?[\w-])", reading.text) is not None
    )


_MARKED_LINKS = (
    "SELECT {spamprint.kind}, {spamprint.named} FROM {spamprint}"
    " WHERE ({spamprint.kind} = %s AND {spamprint.value} = %s)"
)
_MARKED_TEXT = " OR ({spamprint.kind} = %s AND {spamprint.value} = %s)"
_NEWEST = " ORDER BY {spamprint.created_at} DESC LIMIT 1"


def _marked_spam(links: str, text: str | None) -> tuple[str, str] | None:
    """The newest fingerprint moderators marked spam with these links, or this text (None:
    too short to learn from): its kind and the post it came from, in words."""
    if text is None:
        rows = sql_rows.select(SpamPrint, _MARKED_LINKS + _NEWEST, [SpamPrint.Kind.LINKS, links])
    else:
        rows = sql_rows.select(
            SpamPrint,
            _MARKED_LINKS + _MARKED_TEXT + _NEWEST,
            [SpamPrint.Kind.LINKS, links, SpamPrint.Kind.TEXT, text],
        )
    return (str(rows[0][0]), str(rows[0][1])) if rows else None


class SpamGuard:
    """Scores a submission; each signal adds points, and a post at the threshold is held."""

    POINTS = {
        TOO_MANY_LINKS: 3.0,
        BLOCKED_WORD: 3.0,
        BLOCKED_DOMAIN: 5.0,
        REPEATED_ELSEWHERE: 3.0,
        CHECKER_SAYS_SPAM: 5.0,
    }

    def _add(self, verdict: Verdict, code: str, text: str, plain: str = "") -> None:
        verdict.add(self.POINTS[code], code, text, plain)

    def judge(
        self,
        submission: Submission,
        *,
        history: PostHistory[object],
        now: dt.datetime | None = None,
    ) -> Verdict:
        verdict = Verdict()
        moment = now or timezone.now()
        self._policy(submission, history, verdict)
        self._content(submission.text.reading, submission.author, history, verdict)
        self._learned(submission.text, verdict)
        self._repeats(submission.text, history, moment, verdict)
        if akismet.is_enabled():
            spam = akismet.says_spam(
                akismet.Submission(
                    body=submission.body,
                    user_ip=submission.address.raw,
                    user_agent=submission.user_agent,
                    referrer=submission.referrer,
                    permalink=submission.permalink,
                    author=submission.author.username if submission.author else "",
                    author_email=(submission.author.email if submission.author else "")
                    or submission.notify_email,
                )
            )
            if spam:
                self._add(verdict, CHECKER_SAYS_SPAM, "the spam checker says spam")
        return verdict

    def _repeats(
        self, body: ReaderText, history: PostHistory[object], moment: dt.datetime, verdict: Verdict
    ) -> None:
        since = moment - dt.timedelta(hours=24)
        if len(body.text) >= 20 and history.repeats_elsewhere(body.fingerprint, since) >= 1:
            self._add(verdict, REPEATED_ELSEWHERE, "the same text was posted elsewhere today")

    def _learned(self, body: ReaderText, verdict: Verdict) -> None:
        """Hold a repeat of a post moderators marked spam: the same text (of some length,
        so "Thanks!" is nobody's), or the same links, anywhere on the site."""
        found = _marked_spam(
            links_fingerprint(body.reading) or "-",
            body.fingerprint if len(body.text) >= MIN_LEARNED_LENGTH else None,
        )
        if found is not None:
            kind, named = found
            same = "text" if kind == SpamPrint.Kind.TEXT else "links"
            verdict.needs_approval.append(
                Signal(LIKE_MARKED_SPAM, f"the same {same} as {named}, marked spam")
            )

    def _policy(
        self, submission: Submission, history: PostHistory[object], verdict: Verdict
    ) -> None:
        if submission.author is None:
            if settings.HOLD_ANONYMOUS_POSTS:
                verdict.needs_approval.append(
                    Signal(ANONYMOUS_NEEDS_APPROVAL, "anonymous posts need approval")
                )
        elif (
            settings.HOLD_FIRST_POSTS or submission.hold_first_post
        ) and not history.has_published_post(submission.author):
            verdict.needs_approval.append(
                Signal(FIRST_POST_NEEDS_APPROVAL, "first post of this account needs approval")
            )

    def _content(
        self,
        reading: Reading,
        author: User | None,
        history: PostHistory[object],
        verdict: Verdict,
    ) -> None:
        """The signals of what the post shows: its links out and its words."""
        links = len(reading.links)
        # Whom the limit holds is asked only of a post over it: the answer costs a query.
        limited = _link_limited(author, history) if links > settings.ANONYMOUS_LINK_LIMIT else ""
        if limited:
            whose = "an anonymous post" if limited == ANONYMOUS else "a new account's post"
            self._add(
                verdict,
                TOO_MANY_LINKS,
                f"{links} links in {whose} (limit {settings.ANONYMOUS_LINK_LIMIT})",
                reasons.too_many_links(count=links, anonymous=limited == ANONYMOUS),
            )
        self._blocklist(reading, verdict)

    def _blocklist(self, reading: Reading, verdict: Verdict) -> None:
        for term in blocked_terms():
            if not term_matches(term, reading):
                continue
            if term.kind == BlockedTerm.Kind.WORD:
                code, text = BLOCKED_WORD, f"contains blocked word “{term.value}”"
                plain = reasons.blocked_word(term.value)
            else:
                code, text = BLOCKED_DOMAIN, f"links to blocked domain {term.value}"
                plain = reasons.blocked_domain(term.value)
            if term.action == BlockedTerm.Outcome.REFUSE:
                verdict.refuse.append(Signal(code, text, plain=plain, term=term.value))
            elif term.action == BlockedTerm.Outcome.REVIEW:
                verdict.review.append(Signal(code, text, plain=plain, term=term.value))
            else:
                self._add(verdict, code, text, plain)

    def judge_edit(
        self,
        body: str | ReaderText,
        *,
        author: User | None,
        history: PostHistory[object],
        now: dt.datetime | None = None,
    ) -> Verdict:
        """The signals of a new text for a stored post: what it shows and whether the same
        text went up elsewhere today, as for a new post (the form's policy is past)."""
        verdict = Verdict()
        text = ReaderText.of(body)
        self._content(text.reading, author, history, verdict)
        self._learned(text, verdict)
        self._repeats(text, history, now or timezone.now(), verdict)
        return verdict
