"""A post's checks and its storing are one write: on SQLite one turn in the writers' queue.
A refusal still keeps what the checks wrote (a ban carried to this period's address hash),
and the post is stored as its save() would store it, with the signals that name the pages
it changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.db.models.signals import post_save
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import PostRefused, submit_post

pytestmark = pytest.mark.django_db(transaction=True)

HOME = "198.51.100.7"


def test_a_refused_post_keeps_the_ban_carried_to_this_periods_hash(article: Article) -> None:
    then = address_of(HOME, now=timezone.now() - dt.timedelta(days=31))
    ban = Ban.objects.create(kind=Ban.Kind.ADDRESS, hashes=[then.ip_hash])
    now = address_of(HOME)
    with pytest.raises(PostRefused) as refused:
        submit_post(article=article, body="Still here.", address=now, form_age=30)
    assert refused.value.code == "banned"
    # The ban holds on once last period's hash can no longer be worked out.
    ban.refresh_from_db()
    assert now.ip_hash in ban.hashes
    assert not Post.objects.filter(body="Still here.").exists()


def test_an_accepted_post_is_one_write_transaction(article: Article, reader: User) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's writers' queue: one BEGIN IMMEDIATE a post")
    submit_post(article=article, body="Opening my rate windows.", author=reader,
                account=reader, form_age=30)  # fmt: skip
    with CaptureQueriesContext(connection) as asked:
        outcome = submit_post(article=article, body="A second thought.", author=reader,
                              account=reader, form_age=30, form_nonce="one-write")  # fmt: skip
    assert outcome.post.status == Post.Status.PUBLISHED
    begins = [q["sql"] for q in asked.captured_queries if q["sql"].upper().startswith("BEGIN")]
    assert begins == ["BEGIN IMMEDIATE"]


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
