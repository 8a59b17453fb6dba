"""A post is inserted with its statement made once (sql_rows.create), and stored as its
save() would store it: every field as given, and the signals that name the pages it
changes sent once, as for a new row."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models.signals import post_save

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import submit_post

pytestmark = pytest.mark.django_db


def test_the_stored_post_is_announced_as_a_save_announces_it(
    article: Article, reader: User
) -> None:
    seen: list[dict[str, Any]] = []

    def saved(sender: type[Post], instance: Post, **kwargs: Any) -> None:
        seen.append({"pk": instance.pk, **kwargs})

    post_save.connect(saved, sender=Post, weak=False, dispatch_uid="test-one-write")
    try:
        outcome = submit_post(article=article, body="Seen *everywhere*.", author=reader,
                              account=reader, form_age=30)  # fmt: skip
    finally:
        post_save.disconnect(dispatch_uid="test-one-write", sender=Post)
    post = outcome.post
    assert [(s["pk"], s["created"], s["update_fields"]) for s in seen] == [(post.pk, True, None)]
    stored = Post.objects.get(pk=post.pk)
    assert (stored.number, stored.body, stored.body_html, stored.author_id) == (
        post.number, "Seen *everywhere*.", post.body_html, reader.pk,
    )  # fmt: skip
    assert "<em>everywhere</em>" in stored.body_html
    assert stored.created_at == post.created_at
    # The instance is a stored one: saving it again updates, it does not insert a copy.
    post.body = "Seen everywhere."
    post.save(update_fields=["body"])
    assert Post.objects.filter(article=article, author=reader).count() == 1
