"""Reply and mention emails, sent by the task worker after a post becomes visible.

Posting only queues the task (see queue_post_notifications), so a slow or failing mail
server never slows or breaks posting.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import get_connection, mail_admins

from knowhow.discussion.models import Mention, Post
from knowhow.notifications.emails import in_language, post_email
from knowhow.notifications.recipients import recipients_for
from knowhow.notifications.services import record_sent
from knowhow.retries import retrying_task

logger = logging.getLogger(__name__)


@retrying_task
def notify_about_post(post_id: int) -> int:
    """Email the readers the post replies to or mentions; returns how many emails went out."""
    post = Post.objects.select_related("article", "author", "reply_to").filter(pk=post_id).first()
    # Held, hidden or removed since it was queued: it announces nothing.
    if post is None or not post.is_visible or not post.article.is_published:
        return 0
    recipients = recipients_for(post)
    if not recipients:
        return 0
    sent: list[str] = []
    failure: Exception | None = None
    with get_connection() as connection:
        for recipient in recipients:
            with in_language(recipient.language):
                message = post_email(post, recipient)
            message.connection = connection
            try:
                message.send()
            except Exception as exc:  # one bad address must not cost the others their email
                logger.exception("Could not email about post %s", post.pk)
                failure = failure or exc
            else:
                sent.append(recipient.email)
    record_sent(post=post, emails=sent)
    if failure is not None:
        # The worker records this attempt as failed; a mail server that is down is tried
        # again later, for those not reached yet only.
        raise failure
    return len(sent)


@retrying_task
def mail_admins_about_error(subject: str, message: str) -> None:
    """Email a server error's report (knowhow.server.logs.QueuedAdminEmail) to KNOWHOW_ADMINS."""
    mail_admins(subject, message)


def queue_post_notifications(
    sender: Any, *, post: Post, mentions: bool | None = None, **kwargs: Any
) -> None:
    """Receiver of discussion.events.post_published: queue the emails, send nothing here."""
    if mentions is None:  # the sender did not say: the stored mentions do
        mentions = Mention.objects.filter(post_id=post.pk).exists()
    if post.reply_to_id is None and not mentions:
        return
    try:
        notify_about_post.enqueue(post.pk)
    except Exception:
        # The post is committed and shown; a queue outage must not turn that into an error page.
        logger.exception("Could not queue the emails about post %s", post.pk)
