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
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

from knowhow.articles.models import Article
from knowhow.links import absolute
from knowhow.newsroom import question_services as questions
from knowhow.retries import retrying_task

logger = logging.getLogger(__name__)


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


@retrying_task
def tell_asker(article_id: int, question_ids: list[int]) -> int:
    """Email one address that the article answering its question(s) is out; 1 if sent, 0
    when it was told already or the article is no longer published."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None or not article.is_published:
        return 0
    with transaction.atomic():
        email = questions.claim_notice(question_ids)
        if email is None:
            return 0
        # Sent inside the transaction: if the mail server fails, nobody is marked told and
        # the retry sends it; once sent, the mark commits with it.
        answer_email(article, email).send()
        questions.mark_told(question_ids)
    return 1


def queue_answer_emails(sender: Any, *, article: Article, **kwargs: Any) -> None:
    """Receiver of articles.events.published: mark the article's questions answered and queue
    one email per asker's address not told yet."""
    for notice in questions.answered_by(article):
        try:
            tell_asker.enqueue(article.pk, list(notice.question_ids))
        except Exception:
            # The article is live; a queue outage must not undo that. Those not queued are
            # still untold, so the next publication of the article queues them.
            logger.exception("Could not queue the answer email for article %s", article.pk)
