"""Writes to readers' accounts that reach beyond the account: deleting it with its posts."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from knowhow.discussion.models import Post
from knowhow.discussion.services import threads_changed


@transaction.atomic
def delete_account(*, user: User, keep_posts: bool) -> None:
    """Delete the reader's account; their posts stay as anonymous, or come down.

    Posts keep their numbers either way: the account's removal sets their author to NULL,
    and removed posts show "removed by its author" in the thread.
    """
    # Their name leaves every thread they posted in, whichever way the posts go.
    threads_changed(Post.objects.filter(author=user))
    if not keep_posts:
        # Only posts that are or may become visible; rejected, spam and moderator-removed
        # posts keep the status a moderator gave them.
        Post.objects.filter(
            author=user, status__in=[Post.Status.PUBLISHED, Post.Status.HELD]
        ).update(status=Post.Status.DELETED, removed_at=timezone.now())
    user.delete()
