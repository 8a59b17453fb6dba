"""The discussion's answers to what the anti-abuse layers ask about stored posts.

An implementation of antiabuse.spam.PostHistory: the layers below never read Post.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone

from knowhow.antiabuse.fingerprints import body_fingerprint
from knowhow.antiabuse.spam import Submission
from knowhow.articles.models import Article
from knowhow.discussion.models import Post

DUPLICATE_WINDOW = dt.timedelta(hours=24)


class ThreadHistory:
    """Posts as seen from one article's thread."""

    def __init__(self, article: Article) -> None:
        self.article = article

    def earlier_copy(self, submission: Submission) -> Post | None:
        """The same reader's same post to this article in the last day, if any."""
        address = submission.address
        same_reader = (
            Q(author=submission.author)
            if submission.author is not None
            else Q(author__isnull=True)
            & (Q(ip_hash=address.ip_hash) | Q(ip_hash=address.previous_ip_hash))
        )
        return (
            Post.objects.filter(
                same_reader,
                article=self.article,
                fingerprint=body_fingerprint(submission.body),
                created_at__gte=timezone.now() - DUPLICATE_WINDOW,
            )
            .order_by("number")
            .first()
        )

    def repeats_elsewhere(self, fingerprint: str, since: dt.datetime) -> int:
        return (
            Post.objects.filter(fingerprint=fingerprint, created_at__gte=since)
            .values("article_id")
            .distinct()
            .count()
        )

    def has_published_post(self, user: User) -> bool:
        return Post.objects.filter(author=user, status=Post.Status.PUBLISHED).exists()
