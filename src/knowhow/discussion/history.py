"""The discussion's answers to what the anti-abuse layers ask about stored posts.

An implementation of antiabuse.spam.PostHistory: the layers below never read Post.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth.models import User

from knowhow import sql_rows
from knowhow.antiabuse.reader_forms import StoredHistory
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.trust import is_established

_REPEATS = (
    "SELECT COUNT(DISTINCT {post.article}) FROM {post} WHERE {post.fingerprint} = %s"
    " AND ({post.created_at} >= %s OR {post.edited_at} >= %s)"
)


class ThreadHistory(StoredHistory[Post]):
    """Posts as seen from one article's thread; a copy counts within the thread."""

    model = Post
    author_field = "author"
    first = "number"

    def __init__(self, article: Article, own_post_ids: Iterable[int] = ()) -> None:
        super().__init__(own_post_ids)
        self.article = article

    scope_field = "article"

    def scope_key(self) -> int:
        return int(self.article.pk)

    def repeats_elsewhere(self, fingerprint: str, since: dt.datetime) -> int:
        # A text edited into a post today counts like one posted today.
        rows = sql_rows.select(Post, _REPEATS, [fingerprint, since, since])
        return int(rows[0][0])

    def has_published_post(self, user: User) -> bool:
        return Post.objects.filter(author=user, status=Post.Status.PUBLISHED).exists()

    def is_established(self, user: User) -> bool:
        return is_established(user)
