"""Mention emails follow the mentions stored with the post, never the links in its HTML."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django_tasks_db.models import DBTaskResult

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import announce_published, edit_own_post, post_comment
from knowhow.moderation.services import approve, edit_post
from tests.notifications.conftest import opted_in


def _announce(post: Post, capture: Any) -> None:
    with capture(execute=True):
        announce_published(post)


def test_a_stored_mention_emails_the_reader_though_the_html_links_nobody(
    article: Article,
    reader: User,
    outsider: User,
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    opted_in(reader)
    post_comment(article=article, body="Magnesium helped me.", author=reader)
    post = post_comment(article=article, body="As @reader said, magnesium.", author=outsider)
    Post.objects.filter(pk=post.pk).update(body_html="<p>As reader said, magnesium.</p>")
    _announce(Post.objects.get(pk=post.pk), django_capture_on_commit_callbacks)
    run_worker()
    assert [m.to for m in mail.outbox] == [[reader.email]]
    assert "outsider mentioned you in Post 2" in mail.outbox[0].subject


def test_a_mention_link_in_the_html_without_a_stored_mention_emails_nobody(
    article: Article,
    reader: User,
    outsider: User,
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    opted_in(reader)
    post_comment(article=article, body="Magnesium helped me.", author=reader)
    post = post_comment(article=article, body="As reader said, magnesium.", author=outsider)
    linked = f'<p>As <a href="{article.get_absolute_url()}posts/1/" class="mention">@reader</a></p>'
    Post.objects.filter(pk=post.pk).update(body_html=linked)
    _announce(Post.objects.get(pk=post.pk), django_capture_on_commit_callbacks)
    assert not DBTaskResult.objects.exists()
    run_worker()
    assert mail.outbox == []


def test_a_mention_a_moderator_edits_out_of_a_held_post_emails_nobody_on_approval(
    article: Article,
    reader: User,
    outsider: User,
    moderator: User,
    publish: Callable[..., Post],
    run_worker: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    opted_in(reader)
    publish(article=article, body="Cramps at night.", author=reader)
    settings.HOLD_FIRST_POSTS = True
    held = publish(article=article, body="@reader buy my pills.", author=outsider)
    assert held.status == Post.Status.HELD
    edit_post(post=held, moderator=moderator, body="Pills helped me.", note="Advert.")
    with django_capture_on_commit_callbacks(execute=True):
        approve(post=held, moderator=moderator)
    run_worker()
    assert mail.outbox == []


def test_a_mention_added_by_the_authors_edit_emails_the_reader_on_approval(
    article: Article,
    reader: User,
    outsider: User,
    moderator: User,
    publish: Callable[..., Post],
    run_worker: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    opted_in(reader)
    publish(article=article, body="Cramps at night.", author=reader)
    settings.HOLD_FIRST_POSTS = True
    held = publish(article=article, body="Same here.", author=outsider)
    edit_own_post(post=held, body="Same here, @Reader.")
    with django_capture_on_commit_callbacks(execute=True):
        approve(post=held, moderator=moderator)
    run_worker()
    assert [m.to for m in mail.outbox] == [[reader.email]]
