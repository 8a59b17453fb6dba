"""The spam guard: each signal adds its points under its own code, a post at the threshold
is held, and the site's policies hold posts whatever their score."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import override_settings

from knowhow.antiabuse import akismet, spam
from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import BlockedTerm
from knowhow.antiabuse.spam import SpamGuard, Submission, Verdict

pytestmark = pytest.mark.django_db


class History:
    """Stored posts as the guard sees them, made up for each test."""

    def __init__(
        self, *, repeats: int = 0, published: bool = True, established: bool = True
    ) -> None:
        self.repeats = repeats
        self.published = published
        self.established = established

    def earlier_copy(self, submission: Submission) -> None:
        return None

    def repeats_elsewhere(self, fingerprint: str, since: dt.datetime) -> int:
        return self.repeats

    def has_published_post(self, user: User) -> bool:
        return self.published

    def is_established(self, user: User) -> bool:
        return self.established

    def form_used(self, nonce: str) -> bool:
        return False


def judge(body: str, *, author: User | None = None, history: History | None = None) -> Verdict:
    submission = Submission(body=body, author=author, address=address_of("198.51.100.7"))
    return SpamGuard().judge(submission, history=history or History())


def test_an_ordinary_post_scores_nothing() -> None:
    verdict = judge("Stretching before bed helped my calves.")
    assert verdict.score == 0 and verdict.codes == [] and not verdict.hold


def test_too_many_links_in_an_anonymous_post() -> None:
    links = " ".join(f"https://site{n}.example/" for n in range(3))
    verdict = judge(f"See {links}")
    assert verdict.codes == [spam.TOO_MANY_LINKS]
    assert verdict.score == SpamGuard.POINTS[spam.TOO_MANY_LINKS] and verdict.hold


def test_a_signed_in_reader_may_send_links(reader: User) -> None:
    links = " ".join(f"https://site{n}.example/" for n in range(3))
    assert judge(f"See {links}", author=reader).codes == []


def test_a_blocked_word_and_a_blocked_domain_each_have_their_code() -> None:
    BlockedTerm.objects.create(kind="word", value="casino")
    BlockedTerm.objects.create(kind="domain", value="pills.example")
    verdict = judge("The casino at https://shop.pills.example/ helps.")
    assert set(verdict.codes) == {spam.BLOCKED_WORD, spam.BLOCKED_DOMAIN}
    assert verdict.score == 8.0


def test_a_text_posted_elsewhere_today_counts() -> None:
    verdict = judge(
        "The very same words, posted in thread after thread.", history=History(repeats=1)
    )
    assert verdict.codes == [spam.REPEATED_ELSEWHERE]


def test_the_spam_checker_counts_when_it_is_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(akismet, "is_enabled", lambda: True)
    monkeypatch.setattr(akismet, "says_spam", lambda submission: True)
    assert judge("Nothing to see here.").codes == [spam.CHECKER_SAYS_SPAM]


def test_a_post_below_the_threshold_goes_up() -> None:
    BlockedTerm.objects.create(kind="word", value="casino")
    with override_settings(SPAM_THRESHOLD=4):
        assert not judge("A casino story.").hold


@override_settings(HOLD_ANONYMOUS_POSTS=True)
def test_anonymous_posts_can_be_held_by_policy_whatever_their_score() -> None:
    verdict = judge("A kind word.")
    assert verdict.score == 0 and verdict.hold
    assert verdict.codes == [spam.ANONYMOUS_NEEDS_APPROVAL]


@override_settings(HOLD_FIRST_POSTS=True)
def test_an_accounts_first_post_can_be_held_by_policy(reader: User) -> None:
    assert judge("Hello.", author=reader, history=History(published=False)).codes == [
        spam.FIRST_POST_NEEDS_APPROVAL
    ]
    assert not judge("Hello again.", author=reader, history=History(published=True)).hold


def test_the_log_says_why_in_words_and_callers_read_the_codes() -> None:
    BlockedTerm.objects.create(kind="domain", value="pills.example")
    verdict = judge("Buy at https://pills.example/")
    assert verdict.explain() == "links to blocked domain pills.example"
    assert [signal.code for signal in verdict.signals] == [spam.BLOCKED_DOMAIN]


def test_an_edit_is_judged_on_what_it_shows_not_on_the_posting_policy() -> None:
    BlockedTerm.objects.create(kind="word", value="casino")
    with override_settings(HOLD_ANONYMOUS_POSTS=True):
        verdict = SpamGuard().judge_edit("Now about a casino.", author=None, history=History())
    assert verdict.codes == [spam.BLOCKED_WORD]
