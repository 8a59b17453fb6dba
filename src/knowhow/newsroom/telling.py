"""People are told of the newsroom's steps: the writer when changes are requested, on a
comment, an approval, a schedule or publication; every editor when an article is submitted
for review. A note on their desk, and an email through the task queue (retried while the
mail server is away) unless they turned those off in their settings. Nobody is told of
their own step.

Subscribed to articles.events.step_taken, which the workflow sends once a step committed.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from knowhow.articles import roles
from knowhow.articles.models import ArticleEvent
from knowhow.links import absolute
from knowhow.newsroom.models import DeskNote, StepEmails
from knowhow.retries import retrying_task

logger = logging.getLogger(__name__)

Action = ArticleEvent.Action

# What the person told reads, by step: "{who} {what} “{title}”".
TOLD = {
    Action.SUBMITTED: "submitted for review",
    Action.COMMENTED: "commented on",
    Action.CHANGES_REQUESTED: "asked for changes to",
    Action.APPROVED: "approved",
    Action.SCHEDULED: "scheduled",
    Action.PUBLISHED: "published",
}
# The steps every editor hears of; the writer hears of the others.
FOR_EDITORS = frozenset({Action.SUBMITTED})


def wants_emails(user: User) -> bool:
    choice = StepEmails.objects.filter(user=user).first()
    return choice is None or choice.wanted


@transaction.atomic
def set_step_emails(*, user: User, on: bool) -> None:
    """The person's choice of emails about the newsroom's steps; desk notes stay."""
    StepEmails.objects.update_or_create(user=user, defaults={"wanted": on})


def mark_notes_read(*, user: User) -> int:
    """The person read every note on their desk; returns how many."""
    return DeskNote.objects.filter(user=user, seen_at__isnull=True).update(seen_at=timezone.now())


def people_to_tell(event: ArticleEvent) -> list[User]:
    """Who hears of the step: every editor of a submission, else the article's writer;
    never the one who took it, never an account that cannot sign in."""
    if event.action in FOR_EDITORS:
        people = list(roles.editors())
    else:
        writer = event.article.written_by.user
        people = [writer] if writer is not None and roles.is_newsroom_staff(writer) else []
    return [p for p in people if p.is_active and p.pk != event.actor_id]


def tell_of_step(sender: Any, *, event: ArticleEvent, **kwargs: Any) -> None:
    """Receiver of articles.events.step_taken: desk notes now, emails queued."""
    event = ArticleEvent.objects.select_related("article__written_by__user", "actor").get(
        pk=event.pk
    )
    people = people_to_tell(event)
    if not people:
        return
    DeskNote.objects.bulk_create(
        [DeskNote(user=person, event=event) for person in people], ignore_conflicts=True
    )
    off = set(
        StepEmails.objects.filter(user__in=people, wanted=False).values_list("user_id", flat=True)
    )
    for person in people:
        if not person.email or person.pk in off:
            continue
        try:
            email_about_step.enqueue(event.pk, person.pk)
        except Exception:  # the note is on their desk; a queue outage must not undo the step
            logger.exception("Could not queue the email about step %s", event.pk)


def step_email(event: ArticleEvent, person: User) -> EmailMessage:
    article = event.article
    actor = event.actor
    who = (actor.get_full_name() or actor.get_username()) if actor is not None else "The site"
    what = TOLD[ArticleEvent.Action(event.action)]
    subject = f"[{settings.SITE_NAME}] {who} {what} “{article.title}”"
    body = render_to_string(
        "newsroom/step_email.txt",
        {
            "who": who,
            "what": what,
            "article": article,
            "note": event.note,
            "scheduled_for": article.published_at if event.action == Action.SCHEDULED else None,
            "link": absolute(reverse("newsroom-edit", args=[article.pk])),
            "settings_link": absolute(reverse("account-settings")),
            "site_name": settings.SITE_NAME,
        },
    )
    return EmailMessage(
        subject=" ".join(subject.split()),
        body=body,
        to=[person.email],
        headers={"Auto-Submitted": "auto-generated"},
    )


@retrying_task
def email_about_step(event_id: int, user_id: int) -> bool:
    """Email one person about one step; whether it went (turned off since: nothing sent)."""
    event = ArticleEvent.objects.select_related("article", "actor").filter(pk=event_id).first()
    person = User.objects.filter(pk=user_id, is_active=True).first()
    if event is None or person is None or not person.email or not wants_emails(person):
        return False
    if DeskNote.objects.filter(user=person, event=event, emailed_at__isnull=False).exists():
        return False  # this email went out already: a task run twice sends it once
    step_email(event, person).send()
    DeskNote.objects.filter(user=person, event=event).update(emailed_at=timezone.now())
    return True
