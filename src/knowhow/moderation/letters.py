"""Moderators' emails to readers, sent by the task worker: a queued message is kept in the
database first (ReaderNote), so a mail server that is away loses nothing; the task tries
again later (knowhow.retries) and records when the mail server took it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from knowhow.links import absolute
from knowhow.moderation.models import Appeal, ReaderNote
from knowhow.retries import retrying_task


@retrying_task
def send_reader_message(note_id: int) -> bool:
    """Email a moderator's message to its reader, once; whether it went out now."""
    note = ReaderNote.objects.select_related("reader").filter(pk=note_id).first()
    if note is None or note.sent_at is not None or not note.reader.email:
        return False
    send_mail(
        f"[{settings.SITE_NAME}] {note.subject}",
        render_to_string(
            "moderation/reader_message.txt",
            {"site_name": settings.SITE_NAME, "note": note, "reader": note.reader},
        ),
        None,
        [note.reader.email],
    )
    ReaderNote.objects.filter(pk=note.pk).update(sent_at=timezone.now())
    return True


@retrying_task
def tell_appellant(appeal_id: int) -> bool:
    """Email the reader the moderators' decision on their appeal; whether it went out."""
    appeal = (
        Appeal.objects.select_related("user", "ban", "post__article")
        .filter(pk=appeal_id, decided_at__isnull=False)
        .first()
    )
    if appeal is None or not appeal.reply_to:
        return False
    send_mail(
        f"[{settings.SITE_NAME}] Your appeal: {appeal.get_outcome_display().lower()}",
        render_to_string(
            "moderation/appeal_decided.txt",
            {
                "site_name": settings.SITE_NAME,
                "appeal": appeal,
                "link": absolute(appeal.post.get_absolute_url()) if appeal.post else "",
            },
        ),
        None,
        [appeal.reply_to],
    )
    return True
