"""Posting as the site does it (signals after commit); tests/conftest.py runs the worker."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.notifications.confirmations import confirm_address
from knowhow.notifications.services import set_reply_emails


@pytest.fixture
def publish(django_capture_on_commit_callbacks: Any) -> Callable[..., Post]:
    """post_comment, with the after-commit announcement a real request would make."""

    def publish(**fields: Any) -> Post:
        with django_capture_on_commit_callbacks(execute=True):
            return post_comment(**fields)

    return publish


def opted_in(user: User) -> User:
    """The reader asked for reply emails, and confirmed their address long ago."""
    if user.email:
        confirm_address(email=user.email)
    set_reply_emails(user=user, on=True)
    return user
