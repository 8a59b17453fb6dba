"""Authors are told of moderators' decisions on them, by email through the task queue: a
removal, rejection or edit of their post with the reason, and a ban with its length, the
reason written for them and how to appeal. Spam marks and shadow-hiding are never told.

The log is where every decision is written, so a new log entry by a moderator is the event
(post_save of ModerationAction, connected in apps.py); the email is queued once the
decision is committed, and the worker retries it while the mail server is away. Who is told:
an account with an address, or an anonymous author who left an address with their post
and confirmed it (for reply emails), never an address that asked for no more email; nobody
when KNOWHOW_TELL_AUTHORS is off. A decision undone before the worker sends it is
not told. Several bans made on one reader at once (account, address, network) make one
email.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from knowhow.antiabuse.models import Ban
from knowhow.links import absolute
from knowhow.moderation.describe import ban_until
from knowhow.moderation.models import ModerationAction
from knowhow.retries import retrying_task

logger = logging.getLogger(__name__)
Action = ModerationAction.Action

# The decisions on a post its author is told of, and what the email says happened.
ON_POSTS: dict[str, str] = {
    Action.REMOVE: "removed",
    Action.REJECT: "not published",
    Action.EDIT: "edited",
}
# Bans made this close together by one moderator are one decision on one reader.
TOGETHER = dt.timedelta(seconds=10)


def queue_telling(
    sender: object, *, instance: ModerationAction, created: bool, **kwargs: object
) -> None:
    """Receiver of post_save on the log: queue the author's email once committed."""
    told = instance.action in ON_POSTS or instance.action == Action.BAN
    if not (created and told and instance.actor_id is not None and settings.TELL_AUTHORS):
        return
    entry_id = instance.pk
    transaction.on_commit(lambda: _enqueue(entry_id), robust=True)


def _enqueue(entry_id: int) -> None:
    try:
        tell_author.enqueue(entry_id)
    except Exception:  # the decision stands whatever happens to its email
        logger.exception("Could not queue the email about log entry %s", entry_id)


def recipient(entry: ModerationAction) -> str:
    """The address the decision's author is told at, or "" when nobody is to be told."""
    post = entry.post
    account = post.author if post is not None else None
    if entry.action == Action.BAN:
        ban = entry.ban
        if ban is None or ban.kind in (Ban.Kind.SHADOW, Ban.Kind.RANGE):
            return ""
        post = ban.source_post
        account = ban.user if ban.kind == Ban.Kind.ACCOUNT else (post.author if post else None)
    if account is not None:
        address = account.email if account.is_active else ""
    elif post is not None and post.notify_email:
        # Anyone may type any address in the post form: only one its owner confirmed.
        confirmed = import_string(settings.EMAIL_CONFIRMED_CHECK)(post.notify_email)
        address = post.notify_email if confirmed else ""
    else:
        return ""
    if address and import_string(settings.EMAIL_OPTED_OUT_CHECK)(address):
        return ""
    return address


def _entry(entry_id: int) -> ModerationAction | None:
    return (
        ModerationAction.objects.select_related(
            "post__article", "post__author", "ban__user", "ban__source_post__author"
        )
        .filter(pk=entry_id)
        .first()
    )


@retrying_task
def tell_author(entry_id: int) -> bool:
    """Email the author of a post (or the banned reader) about the decision; whether sent."""
    entry = _entry(entry_id)
    if entry is None or not settings.TELL_AUTHORS:
        return False
    if ModerationAction.objects.filter(undoes=entry).exists():
        return False
    address = recipient(entry)
    if not address:
        return False
    if entry.action == Action.BAN:
        return _tell_ban(entry, address)
    assert entry.post is not None
    context = {
        "site_name": settings.SITE_NAME,
        "post": entry.post,
        "what": ON_POSTS[entry.action],
        "reason": entry.note,
        "link": absolute(entry.post.get_absolute_url()),
    }
    send_mail(
        f"[{settings.SITE_NAME}] Your Post {entry.post.number} on “{entry.post.article.title}” "
        f"was {context['what']}",
        render_to_string("moderation/told_decision.txt", context),
        None,
        [address],
    )
    return True


def _tell_ban(entry: ModerationAction, address: str) -> bool:
    """One email for the bans made on the reader at once, sent with the first of them."""
    assert entry.ban is not None
    if not entry.ban.is_active:
        return False
    nearby = ModerationAction.objects.filter(
        action=Action.BAN,
        actor_id=entry.actor_id,
        created_at__gte=entry.created_at - TOGETHER,
        created_at__lte=entry.created_at + TOGETHER,
        undone_by__isnull=True,
    ).order_by("pk")
    together = [
        other
        for other in (_entry(pk) for pk in nearby.values_list("pk", flat=True))
        if other is not None and other.ban is not None and recipient(other) == address
    ]
    if together and together[0].pk != entry.pk:
        return False  # the first of them tells of all
    bans = [other.ban for other in together if other.ban is not None] or [entry.ban]
    longest = max(bans, key=lambda b: b.expires_at or dt.datetime.max.replace(tzinfo=dt.UTC))
    taken = ModerationAction.objects.filter(
        ban__in=bans, action__in=(Action.REMOVE, Action.REJECT)
    ).count()
    context = {
        "site_name": settings.SITE_NAME,
        "until": ban_until(longest),
        "reason": next((b.reader_reason for b in bans if b.reader_reason), ""),
        "taken": taken,
        "appeal": appeal_instructions(),
        "now": timezone.now(),
    }
    send_mail(
        f"[{settings.SITE_NAME}] You may not post {context['until']}",
        render_to_string("moderation/told_ban.txt", context),
        None,
        [address],
    )
    return True


def appeal_instructions() -> str:
    """How a banned reader appeals, in a sentence for an email."""
    return (
        f"To appeal, fill in the short form at {absolute(reverse('appeal'))} "
        f"(signed in, if the suspension is on your account), or write to "
        f"{settings.DEFAULT_FROM_EMAIL}."
    )
