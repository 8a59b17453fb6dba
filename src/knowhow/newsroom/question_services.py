"""The only ways readers' questions are written: asking one, the editors' decisions on it
(merge into another, decline, turn into a draft), its answer's publication and the email
about it (answer_mail sends it through mark_answered and mark_told), and its asker's leaving.
tests/newsroom/test_questions_have_one_writer.py fails when another writer appears.

Asking goes through the same anti-abuse layers as a post (antiabuse.checks): bans, the same
reader's copy, one form one question, form timing, the posting rate limit and the spam
score. A question the spam guard doubts is refused with the reason, the text kept: every
question waits for an editor anyway, so there is nothing to hold it for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import OperationalError, transaction
from django.utils import timezone

from knowhow.antiabuse import reasons, spam
from knowhow.antiabuse.addresses import Address, address_of
from knowhow.antiabuse.checks import Refused, check_submission, form_used
from knowhow.antiabuse.fingerprints import body_fingerprint
from knowhow.antiabuse.reader_forms import StoredHistory, Wording, clean_text
from knowhow.antiabuse.spam import Submission, Verdict
from knowhow.articles import roles
from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Topic
from knowhow.newsroom.events import joined_an_answer
from knowhow.newsroom.models import QUESTION_MAX_LENGTH, Question
from knowhow.outages import is_outage

State = Question.State
CANNOT_SAVE = (
    "The site cannot save questions right now, so yours was not sent. Your text is kept "
    "below: please send it again in a few minutes."
)


@dataclass(frozen=True)
class Asked:
    question: Question
    duplicate: bool = False


QUESTION_WORDING = Wording(
    empty="Please write your question before sending it.",
    too_long=(
        "Questions can be at most {limit} characters; yours has {length}. "
        "Please shorten it and send it again."
    ),
    nul="The question contains a character that cannot be stored.",
    honeypot=(
        "This question looks automated and was not accepted. If you are a person, "
        "reload the page and send it again."
    ),
    expired="This form has expired. Your question is still here: please send it again.",
)


def validate_text(text: str) -> str:
    """The question as it will be stored, or a ValidationError a reader can act on."""
    return clean_text(text, limit=QUESTION_MAX_LENGTH, wording=QUESTION_WORDING)


class QuestionHistory(StoredHistory[Question]):
    """What the anti-abuse layers ask about earlier questions: a copy counts site-wide."""

    model = Question
    author_field = "asker"

    def repeats_elsewhere(self, fingerprint: str, since: dt.datetime) -> int:
        # Many readers asking the same thing is what the queue's merge is for, not spam.
        return 0

    def has_published_post(self, user: User) -> bool:
        # Every question waits for an editor: no first-question approval on top.
        return True

    def is_established(self, user: User) -> bool:
        # An editor reads every question before it is answered: a signed-in asker's links
        # are not held on top (anonymous askers' are).
        return True


def _spam_refusal(verdict: Verdict) -> Refused:
    """The refusal of a question the spam guard doubts, saying why without naming which
    word of the blocklist it met."""
    told = {
        spam.BLOCKED_DOMAIN: "it links to a site this one does not accept",
        spam.BLOCKED_WORD: "it uses a word this site does not accept",
        spam.TOO_MANY_LINKS: (
            f"it has more than {settings.ANONYMOUS_LINK_LIMIT} links, which only "
            "signed-in readers may send"
        ),
        spam.CHECKER_SAYS_SPAM: "the spam checker judged it spam",
    }
    why = [told[code] for code in verdict.codes if code in told]
    because = " and ".join(why) or "it looks like spam"
    return Refused(
        f"Your question was not sent because {because}. Your text is still here: change it "
        "and send it again.",
        "spam",
    )


def _in_question_words(refusal: Refused, form_age: float | None) -> Refused:
    """The layers' refusal, told of a question rather than a post where the words differ."""
    if refusal.code == "rate_limited" and refusal.retry_after:
        return Refused(
            reasons.questions_rate_limited(retry_after=refusal.retry_after),
            refusal.code,
            refusal.retry_after,
        )
    if refusal.code == "too_fast" and form_age is not None:
        least = settings.MIN_SUBMIT_SECONDS
        return Refused(
            reasons.too_fast(age=form_age, least=least, thing="question"),
            refusal.code,
            refusal.retry_after,
        )
    if refusal.code == "form_used":
        return Refused(reasons.QUESTION_FORM_USED, refusal.code)
    return refusal


def _as_user(user: User | AnonymousUser | None) -> User | None:
    return user if isinstance(user, User) else None


def ask_question(
    *,
    text: str,
    asker: User | AnonymousUser | None = None,
    asker_name: str = "",
    email: str = "",
    asked_from: Article | None = None,
    address: Address | None = None,
    form_age: float | None = None,
    form_nonce: str = "",
    user_agent: str = "",
    referrer: str = "",
    own_question_ids: Iterable[int] = (),
    now: dt.datetime | None = None,
) -> Asked:
    """Store a reader's question for the editors' queue, or raise Refused (text untouched).

    The same reader sending the same question again gets the stored one back
    (duplicate=True)."""
    cleaned = validate_text(text)
    user = _as_user(asker)
    address = address or address_of("127.0.0.1")
    try:
        passed = check_submission(
            Submission(
                body=cleaned,
                author=user,
                address=address,
                form_age=form_age,
                user_agent=user_agent,
                referrer=referrer,
                permalink=asked_from.get_absolute_url() if asked_from else "",
                notify_email=email,
                account=user,
                form_nonce=form_nonce,
            ),
            history=QuestionHistory(own_question_ids),
            now=now,
        )
        if passed.earlier_copy is not None:
            return Asked(passed.earlier_copy, duplicate=True)
        if passed.verdict.score >= settings.SPAM_THRESHOLD:
            raise _spam_refusal(passed.verdict)
        with transaction.atomic():
            if form_nonce and Question.objects.filter(form_nonce=form_nonce).exists():
                raise form_used()
            question = Question.objects.create(
                text=cleaned,
                asker=user,
                asker_name="" if user is not None else asker_name.strip()[:100],
                email=email.strip(),
                asked_from=asked_from,
                fingerprint=body_fingerprint(cleaned),
                form_nonce=form_nonce,
                created_at=now or timezone.now(),
            )
    except Refused as refusal:
        raise _in_question_words(refusal, form_age) from None
    except OperationalError as error:
        if is_outage(error):
            raise Refused(CANNOT_SAVE, "unavailable", 60) from None
        raise
    return Asked(question)


# The editors' decisions -------------------------------------------------------------------


def _require_editor(by: User | AnonymousUser | None) -> User:
    if not roles.is_editor(by):
        raise workflow.NotAllowed("Only editors may handle readers' questions.")
    assert isinstance(by, User)
    return by


def _locked(question: Question) -> Question:
    return Question.objects.select_for_update().get(pk=question.pk)


def _handled(question: Question, by: User, state: str) -> None:
    question.state = state
    question.handled_by = by
    question.handled_at = timezone.now()


@transaction.atomic
def merge_question(*, question: Question, into: Question, by: User | AnonymousUser | None) -> None:
    """Mark the question a duplicate of another: its asker is told when that one's answer is
    published. Questions merged into it follow it to the other."""
    editor = _require_editor(by)
    question, into = _locked(question), _locked(into)
    if question.pk == into.pk:
        raise workflow.NotAllowed("A question cannot be merged into itself.")
    if question.state != State.NEW:
        raise workflow.NotAllowed(
            f"{question.label} is {question.get_state_display().lower()} already."
        )
    answered = into.state == State.ANSWERED and into.draft is not None
    if not (into.is_open or answered):
        raise workflow.NotAllowed(
            f"{into.label} is {into.get_state_display().lower()}: merge into a new question, "
            "one turned into a draft, or one answered."
        )
    _handled(question, editor, State.MERGED)
    question.duplicate_of = into
    question.save(update_fields=["state", "duplicate_of", "handled_by", "handled_at"])
    Question.objects.filter(duplicate_of=question).update(duplicate_of=into)
    if answered and into.draft is not None and into.draft.is_published:
        # The answer is out already: its new askers hear of it now.
        article = into.draft
        transaction.on_commit(
            lambda: joined_an_answer.send(sender=Question, article=article), robust=True
        )


@transaction.atomic
def decline_question(*, question: Question, by: User | AnonymousUser | None) -> None:
    """The site will not answer this question; its asker is not emailed."""
    editor = _require_editor(by)
    question = _locked(question)
    if question.state != State.NEW:
        raise workflow.NotAllowed(
            f"{question.label} is {question.get_state_display().lower()} already."
        )
    _handled(question, editor, State.DECLINED)
    question.save(update_fields=["state", "handled_by", "handled_at"])


@transaction.atomic
def turn_into_draft(
    *,
    question: Question,
    by: User | AnonymousUser | None,
    title: str,
    topic: Topic,
    writer: Person,
) -> Article:
    """Start a draft answering the question, written by the writer; the question (and its
    merged duplicates) wait for its publication. The question's words (never who asked, nor
    their address) start the draft's conversation, for the writer."""
    editor = _require_editor(by)
    question = _locked(question)
    if question.state != State.NEW:
        raise workflow.NotAllowed(
            f"{question.label} is {question.get_state_display().lower()} already."
        )
    if not roles.may_write(writer):
        raise workflow.NotAllowed(
            f"{writer.name} has no writer or editor account, so cannot write this article."
        )
    article = workflow.create_article(
        by=editor,
        title=title,
        topic=topic,
        written_by=writer,
        note=f"Started from a reader's question ({question.label}).",
    )
    workflow.comment(
        article=article,
        by=editor,
        note=f"The reader's question ({question.label}), for the writer:\n\n"
        f"{question.words_for_writer()}",
    )
    _handled(question, editor, State.DRAFTED)
    question.draft = article
    question.save(update_fields=["state", "draft", "handled_by", "handled_at"])
    return article


@transaction.atomic
def mark_answered(*, article: Article, now: dt.datetime | None = None) -> int:
    """The article is live: the questions drafted into it are answered. Returns how many
    became answered (none on a republication)."""
    return Question.objects.filter(draft=article, state=State.DRAFTED).update(
        state=State.ANSWERED, answered_at=now or timezone.now()
    )


@transaction.atomic
def mark_told(*, question_ids: Iterable[int], now: dt.datetime | None = None) -> int:
    """Record that the askers of these questions were emailed their answer; returns how
    many were not marked before. The caller sends in the same transaction, so a mail server
    that fails takes the mark back, and a second worker finds nothing left to mark."""
    return (
        Question.objects.filter(pk__in=list(question_ids), notified_at__isnull=True)
        .exclude(email="")
        .update(notified_at=now or timezone.now())
    )


def forget_asker(sender: object, *, instance: User, **kwargs: object) -> None:
    """Receiver of the account's deletion: its questions stay for the editors, anonymous,
    without the address it left for the answer."""
    Question.objects.filter(asker=instance).update(email="")
