"""The layers together: scores add up, and the order of checks keeps retries and bans sane."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import PostRefused, submit_post
from knowhow.moderation import services as moderation

HOME = address_of("198.51.100.20")


def send(article: Article, body: str, **kwargs):  # type: ignore[no-untyped-def]
    kwargs.setdefault("address", HOME)
    kwargs.setdefault("form_age", 30.0)
    return submit_post(article=article, body=body, **kwargs)


def test_signals_add_up_to_a_hold(article: Article, settings) -> None:  # type: ignore[no-untyped-def]
    settings.SPAM_THRESHOLD = 6
    BlockedTerm.objects.create(kind="word", value="crypto")
    alone = send(article, "A quick crypto note.").post
    assert alone.status == Post.Status.PUBLISHED and alone.spam_score == 3
    links = "https://a.example https://b.example https://c.example"
    both = send(article, f"A quick crypto tip: {links}").post
    assert both.status == Post.Status.HELD
    assert both.spam_score == 6
    assert "3 links" in both.held_because and "crypto" in both.held_because


def test_resending_a_held_post_does_not_queue_it_twice(article: Article) -> None:
    body = "Links https://a.example https://b.example https://c.example"
    first = send(article, body)
    again = send(article, body, own_post_ids=[first.post.pk])  # the same browser
    assert again.duplicate and again.post.pk == first.post.pk
    assert Post.objects.count() == 1


def test_a_retry_after_the_limit_is_answered_with_the_stored_post(
    article: Article, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.POST_RATE_ANONYMOUS = [(1, 600)]
    first = send(article, "My only post.")
    retry = send(article, "My only post.", own_post_ids=[first.post.pk])
    assert retry.duplicate and retry.post.pk == first.post.pk
    with pytest.raises(PostRefused):
        send(article, "A different post.")


def test_ban_comes_before_everything_else(article: Article, moderator: User) -> None:
    post = send(article, "Before the ban.").post
    moderation.ban(kind=Ban.Kind.ADDRESS, post=post, moderator=moderator, reason="spam")
    with pytest.raises(PostRefused) as refused:
        send(article, "Before the ban.")
    assert refused.value.code == "banned"


def test_held_then_approved_then_reported_then_dismissed(
    article: Article, moderator: User, settings, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    settings.HOLD_ANONYMOUS_POSTS = True
    settings.FLAG_THRESHOLD = 1
    with django_capture_on_commit_callbacks(execute=True):
        post = send(article, "Waiting for a moderator.").post
    assert post.status == Post.Status.HELD
    moderation.approve(post=post, moderator=moderator)
    settings.ESTABLISHED_ACCOUNT_DAYS = settings.ESTABLISHED_POSTS = 0
    reporter = User.objects.create_user("trusted")
    moderation.flag_post(
        post=post, reason="other", reporter=reporter, address=address_of("192.0.2.99")
    )
    post.refresh_from_db()
    assert post.status == Post.Status.HELD and post.held_because == "reported by 1 reader"
    moderation.dismiss_flags(post=post, moderator=moderator)
    post.refresh_from_db()
    assert post.status == Post.Status.PUBLISHED
    actions = list(post.moderation.order_by("pk").values_list("action", flat=True))
    assert actions == ["auto_hold", "approve", "flag_hold", "dismiss"]
