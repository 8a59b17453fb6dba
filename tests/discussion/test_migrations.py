"""Posts written before mentions were stored get their mentions from the data migration."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.discussion.models import Mention
from tests.people import make_reader

BEFORE_MENTIONS = [("discussion", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_old_posts_get_the_mentions_they_link_resolved_against_the_thread_as_it_stands(
    make_article: Callable[..., Article], reader: User, outsider: User
) -> None:
    article = make_article()
    elsewhere = make_article(slug="elsewhere", title="Elsewhere")
    late = make_reader("late")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_MENTIONS)
    old = executor.loader.project_state(BEFORE_MENTIONS[0]).apps
    OldPost = old.get_model("discussion", "Post")
    now = timezone.now()

    def post(on: Article, number: int, body: str, author: User | None = None, **extra: Any) -> Any:
        author_id = author.pk if author else None
        return OldPost.objects.create(
            article_id=on.pk, number=number, author_id=author_id, body=body, body_html="",
            created_at=now, **extra,
        )  # fmt: skip

    first = post(article, 1, "Magnesium.", reader)
    post(article, 2, "Shadow-hidden.", outsider, shadow=True)
    post(article, 3, "Removed later.", reader, status="removed")
    mentioning = post(
        article, 4, "@READER and @outsider, @late and @nobody: [@reader](https://x.org)"
    )
    late_post = post(article, 5, "Here late.", late)
    answer = post(article, 6, "Yes @Late, and @reader.", outsider)
    unlinked = post(elsewhere, 1, "@reader never posted here.", outsider)

    executor = MigrationExecutor(connection)  # a fresh loader sees the new migrations applied
    executor.migrate(executor.loader.graph.leaf_nodes())

    def mentions(post_id: int) -> list[tuple[str, int | None]]:
        rows = Mention.objects.filter(post_id=post_id).select_related("user")
        return [(m.user.username, m.target_post_id) for m in rows]

    # Only readers with a visible post before the mentioning one, in order of appearance.
    assert mentions(mentioning.pk) == [("reader", first.pk)]
    assert mentions(answer.pk) == [("late", late_post.pk), ("reader", first.pk)]
    assert mentions(unlinked.pk) == []
    assert Mention.objects.count() == 3
