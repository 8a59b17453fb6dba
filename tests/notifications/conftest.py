"""Posting as the site does it (signals after commit) and running the task worker in-process."""

from __future__ import annotations

import signal
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

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


@pytest.fixture
def run_worker(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Run `knowhow db_worker --batch`: every queued task, then return."""
    # Between tasks the worker drops stale connections; in a test, which runs inside one
    # transaction, that would close the test's own connection.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> None:
        # The worker installs its own signal handlers; the test run keeps pytest's.
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    return run


def opted_in(user: User) -> User:
    """The reader asked for reply emails, and confirmed their address long ago."""
    if user.email:
        confirm_address(email=user.email)
    set_reply_emails(user=user, on=True)
    return user
