"""The discussion's answers to what the anti-abuse layers ask about stored posts.

An implementation of antiabuse.spam.PostHistory: the layers below never read Post.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

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

    def __init__(self, article: Article, own_post_ids: Iterable[int] = ()) -> None:
        self.article = article
        self.own_post_ids = list(own_post_ids)

    def earlier_copy(self, submission: Submission) -> Post | None:
        """The same reader's same post to this article in the last day, if any.

        The same reader is the same account, or for an anonymous post the same browser
        (the posts its session remembers): never merely the same address, which readers
        behind one proxy or network share, so a copy never hands a post to someone else.
        """
        if submission.author is None and not self.own_post_ids:
            return None
        same_reader = (
            Q(author=submission.author)
            if submission.author is not None
            else Q(author__isnull=True, pk__in=self.own_post_ids)
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
            # A text edited into a post today counts like one posted today.
            Post.objects.filter(fingerprint=fingerprint)
            .filter(Q(created_at__gte=since) | Q(edited_at__gte=since))
            .values("article_id")
            .distinct()
            .count()
        )

    def has_published_post(self, user: User) -> bool:
        return Post.objects.filter(author=user, status=Post.Status.PUBLISHED).exists()

    def form_used(self, nonce: str) -> bool:
        return Post.objects.filter(form_nonce=nonce).exists()
