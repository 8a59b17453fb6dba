"""What the spam checker is told about moderators' decisions, so it learns from them: a spam
mark undone is reported to Akismet as "not spam" (submit-ham), through the task queue."""

from __future__ import annotations

import logging

from django_tasks import task

from knowhow.antiabuse import akismet
from knowhow.discussion.models import Post
from knowhow.links import site_url

logger = logging.getLogger(__name__)


def not_spam(post_id: int) -> None:
    """Queue the report (after the undo is committed); the site works on if it cannot."""
    if not akismet.is_enabled():
        return
    try:
        report_not_spam.enqueue(post_id=post_id)
    except Exception:
        logger.exception("Could not queue the not-spam report of post %s", post_id)


@task()
def report_not_spam(post_id: int) -> bool:
    """Tell Akismet the post is not spam; whether it took the report."""
    post = Post.objects.select_related("article", "author").filter(pk=post_id).first()
    if post is None:
        return False
    author = post.author
    return akismet.tell_not_spam(
        akismet.Submission(
            body=post.body,
            # Addresses are never stored (only keyed hashes), so none is sent.
            user_ip="",
            user_agent="",
            referrer="",
            permalink=site_url() + post.get_absolute_url(),
            author=author.username if author else post.author_name,
            author_email=author.email if author else "",
        )
    )
