"""What the spam checker is told about moderators' decisions, so it learns from them: a post
marked spam is reported to Akismet as spam (submit-spam), a spam mark undone as "not spam"
(submit-ham), each through the task queue."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

from knowhow.antiabuse import akismet
from knowhow.discussion.models import Post
from knowhow.links import site_url

logger = logging.getLogger(__name__)


def not_spam(post_id: int) -> None:
    """Queue the report (after the undo is committed); the site works on if it cannot."""
    _queue(report_not_spam, post_id)


def spam(post_id: int) -> None:
    """Queue the report (after the mark is committed); the site works on if it cannot."""
    _queue(report_spam, post_id)


def _queue(report: Any, post_id: int) -> None:
    if not akismet.is_enabled():
        return
    try:
        report.enqueue(post_id=post_id)
    except Exception:
        logger.exception("Could not queue the spam checker's report of post %s", post_id)


def _submission(post_id: int) -> akismet.Submission | None:
    post = Post.objects.select_related("article", "author").filter(pk=post_id).first()
    if post is None:
        return None
    author = post.author
    return akismet.Submission(
        body=post.body,
        # Addresses are never stored (only keyed hashes), so none is sent.
        user_ip="",
        user_agent="",
        referrer="",
        permalink=site_url() + post.get_absolute_url(),
        author=author.username if author else post.author_name,
        author_email=author.email if author else "",
    )


@task()
def report_not_spam(post_id: int) -> bool:
    """Tell Akismet the post is not spam; whether it took the report."""
    submission = _submission(post_id)
    return submission is not None and akismet.tell_not_spam(submission)


@task()
def report_spam(post_id: int) -> bool:
    """Tell Akismet the post is spam; whether it took the report."""
    submission = _submission(post_id)
    return submission is not None and akismet.tell_spam(submission)
