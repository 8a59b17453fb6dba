"""A moderator's signed-in client (the moderator is tests/conftest.py's), and posts for the
queue: held ones and reported ones."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import submit_post
from knowhow.moderation.services import flag_post


@pytest.fixture
def mod_client(client: Client, moderator: User) -> Client:
    client.force_login(moderator)
    return client


@pytest.fixture
def hold_anonymous(settings: Any) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True


@pytest.fixture
def held_post(hold_anonymous: None, django_capture_on_commit_callbacks: Any) -> Callable[..., Post]:
    """An anonymous post the hold setting keeps for a moderator, from its own address; its
    "held automatically" log entry is written after commit, as on the site."""
    sent = iter(range(1, 250))

    def make(article: Article, body: str = "", address: str = "") -> Post:
        n = next(sent)
        with django_capture_on_commit_callbacks(execute=True):
            outcome = submit_post(
                article=article,
                body=body or f"Held post number {n}, waiting for a moderator.",
                address=address_of(address or f"203.0.113.{n}"),
            )
        assert outcome.held
        return outcome.post

    return make


@pytest.fixture
def report() -> Callable[..., None]:
    """Reports of a post from `times` anonymous readers, each on a network of their own."""

    def make(post: Post, times: int = 1, reason: str = "spam", note: str = "") -> None:
        for n in range(times):
            flag_post(
                post=post,
                reason=reason,
                note=note,
                reporter=None,
                address=address_of(f"198.51.{100 + n}.1"),
            )

    return make
