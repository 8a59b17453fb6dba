"""Telling askers that their question's answer is published: one email per address, sent
by the task worker, tried again while the mail server is away.

The address is the one typed into the ask form (prefilled with a signed-in reader's own).
It is not confirmed first, as reply emails' addresses are (notifications): that flow hangs
on posts and lives beside this app, not below it. What makes that safe: the email goes out
only when an editor publishes the answer, at most once per question, and it holds nothing a
reader wrote, only the article's title and link.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string

from knowhow.articles.models import Article
from knowhow.links import absolute
from knowhow.newsroom import question_services
from knowhow.newsroom.models import Question
from knowhow.retries import retrying_task

logger = logging.getLogger(__name__)
State = Question.State


@dataclass(frozen=True)
class Notice:
    """One email to send: to this address, for these questions."""

    email: str
    question_ids: tuple[int, ...]


@transaction.atomic
def answered_by(article: Article) -> list[Notice]:
    """The article is live: its questions are answered. Returns whom to tell, one notice per
    address among the askers (of those questions and their merged duplicates) not told yet;
    empty when everyone was told before (a republication)."""
    question_services.mark_answered(article=article)
    waiting = (
        Question.objects.filter(Q(draft=article) | Q(duplicate_of__draft=article))
        .filter(notified_at__isnull=True)
        .exclude(email="")
        .order_by("pk")
        .values_list("pk", "email")
    )
    by_address: dict[str, list[int]] = {}
    for pk, email in waiting:
        by_address.setdefault(email.strip().lower(), []).append(pk)
    return [Notice(email, tuple(ids)) for email, ids in by_address.items()]


def answer_email(article: Article, email: str) -> EmailMessage:
    subject = f"[{settings.SITE_NAME}] Your question is answered: “{article.title}”"
    body = render_to_string(
        "newsroom/question_answered.txt",
        {
            "title": article.title,
            "link": absolute(article.get_absolute_url()),
            "site_name": settings.SITE_NAME,
        },
    )
    return EmailMessage(
        subject=" ".join(subject.split()),  # a title with a line break would break the header
        body=body,
        to=[email],
        headers={"Auto-Submitted": "auto-generated"},
    )


def _address_of(question_ids: Iterable[int]) -> str:
    return (
        Question.objects.filter(pk__in=list(question_ids))
        .exclude(email="")
        .values_list("email", flat=True)
        .first()
        or ""
    )


@retrying_task
def tell_asker(article_id: int, question_ids: list[int]) -> int:
    """Email one address that the article answering its question(s) is out; 1 if sent, 0
    when it was told already or the article is no longer published."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None or not article.is_published:
        return 0
    with transaction.atomic():
        # Marked first, so two workers never both send: the update waits for the other's
        # commit and then finds nothing left to mark.
        email = _address_of(question_ids)
        marked = question_services.mark_told(question_ids=question_ids)
        if not marked or not email:
            return 0
        # If the mail server fails, the mark rolls back with this transaction and the retry
        # sends it.
        answer_email(article, email).send()
    return 1


def tell_askers(article: Article) -> int:
    """Mark the article's questions answered and queue one email per asker's address not
    told yet; returns how many were queued."""
    queued = 0
    for notice in answered_by(article):
        try:
            tell_asker.enqueue(article.pk, list(notice.question_ids))
        except Exception:
            # The article is live; a queue outage must not undo that. Those not queued are
            # still untold, so the next publication of the article queues them.
            logger.exception("Could not queue the answer email for article %s", article.pk)
        else:
            queued += 1
    return queued


def queue_answer_emails(sender: Any, *, article: Article, **kwargs: Any) -> None:
    """Receiver of articles.events.published and newsroom.events.joined_an_answer."""
    tell_askers(article)
