"""Moderators hear of newly held posts: one email, at most hourly, listing the posts held
since their last one, with links to them and to the queue.

A held post queues each moderator's digest (unless one is queued already) to go out an
hour after their last one, or at once if that was longer ago. The task worker sends it;
a mail server that is away is tried again (knowhow.retries) without telling anyone twice.
Moderators who untick the box in their settings get none.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import send_mail
from django.db.models import Q, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from knowhow.articles import roles
from knowhow.discussion.models import Post
from knowhow.links import absolute
from knowhow.moderation.models import HeldDigest, ModerationAction
from knowhow.retries import enqueue_at, retrying_task

logger = logging.getLogger(__name__)

EVERY = dt.timedelta(hours=1)
# A digest queued this long ago and never sent (its task gave up) no longer blocks the next.
STUCK = dt.timedelta(days=1)
MAX_LISTED = 50
HOLDS = [ModerationAction.Action.AUTO_HOLD, ModerationAction.Action.FLAG_HOLD]


def moderators() -> QuerySet[User]:
    """Active accounts with an address that hold the moderation permission, however held."""
    return roles.moderators().exclude(email="")


def wants_digest(user: User) -> bool:
    digest = HeldDigest.objects.filter(user=user).first()
    return digest is None or digest.wanted


def set_held_digest(*, user: User, on: bool) -> None:
    """The moderator's choice of digests; turned off, a queued one sends nothing."""
    HeldDigest.objects.update_or_create(
        user=user,
        defaults={"wanted": on},
        create_defaults={"wanted": on, "told_up_to": timezone.now()},
    )


def queue_digests(sender: object = None, **kwargs: object) -> None:
    """Receiver of discussion.events.post_held: queue each moderator's next digest."""
    try:
        _queue_digests(timezone.now())
    except Exception:  # the post is held and shown in the queue whatever happens here
        logger.exception("Could not queue the held-post digests")


def _queue_digests(now: dt.datetime) -> None:
    for user in moderators():
        digest, _ = HeldDigest.objects.get_or_create(
            user=user, defaults={"told_up_to": now - EVERY}
        )
        if not digest.wanted:
            continue
        when = max(now, digest.sent_at + EVERY) if digest.sent_at else now
        free = Q(queued_for__isnull=True) | Q(queued_for__lt=now - STUCK)
        # Claimed by one update, so two held posts at once queue one digest.
        if HeldDigest.objects.filter(free, pk=digest.pk).update(queued_for=when):
            enqueue_at(send_held_digest, when, user.pk)


@retrying_task
def send_held_digest(user_id: int) -> int:
    """Email the moderator the posts held since their last digest; how many were listed."""
    digest = HeldDigest.objects.select_related("user").filter(user_id=user_id).first()
    if digest is None:
        return 0
    now = timezone.now()
    user = digest.user
    if not (digest.wanted and user.email and roles.is_moderator(user)):
        HeldDigest.objects.filter(pk=digest.pk).update(queued_for=None, told_up_to=now)
        return 0
    held = list(
        Post.objects.filter(
            status=Post.Status.HELD,
            moderation__action__in=HOLDS,
            moderation__created_at__gt=digest.told_up_to,
            moderation__created_at__lte=now,
        )
        .select_related("article", "author")
        .distinct()
        .order_by("created_at", "pk")[: MAX_LISTED + 1]
    )
    if held:
        _send(user, held[:MAX_LISTED], more=len(held) > MAX_LISTED)
    HeldDigest.objects.filter(pk=digest.pk).update(
        queued_for=None, told_up_to=now, **({"sent_at": now} if held else {})
    )
    return min(len(held), MAX_LISTED)


def _send(user: User, posts: list[Post], *, more: bool) -> None:
    count = f"{len(posts)}{'+' if more else ''}"
    context = {
        "site_name": settings.SITE_NAME,
        "user": user,
        "posts": [
            {
                "post": post,
                "who": post.author.username if post.author else "an anonymous reader",
                "link": absolute(post.get_absolute_url()),
            }
            for post in posts
        ],
        "more": more,
        "queue_url": absolute(reverse("moderation-queue")),
        "settings_url": absolute(reverse("account-settings")),
    }
    send_mail(
        f"[{settings.SITE_NAME}] {count} post{'s' if count != '1' else ''} awaiting moderation",
        render_to_string("moderation/held_digest.txt", context),
        None,
        [user.email],
    )
