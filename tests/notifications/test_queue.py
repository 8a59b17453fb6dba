"""Posting only queues the emails: the worker sends them, and a bad mail server harms no post."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from tests.conftest import form_data
from tests.notifications import mail_backends
from tests.notifications.conftest import opted_in


def _reply_through_the_page(
    client: Client, article: Article, capture: Any, body: str = "Same here."
) -> Any:
    with capture(execute=True):
        return client.post(
            f"{article.get_absolute_url()}posts/",
            form_data(article, body, reply_to=1, **{"as": "me"}),
        )


def test_posting_a_reply_only_queues_the_email_and_the_worker_sends_it(
    article: Article,
    reader: User,
    outsider: User,
    client: Client,
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    opted_in(reader)
    post_comment(article=article, body="Cramps at night.", author=reader)
    client.force_login(outsider)
    response = _reply_through_the_page(client, article, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    assert mail.outbox == []
    (queued,) = DBTaskResult.objects.all()
    assert queued.status == TaskResultStatus.READY
    assert queued.task_path == "knowhow.notifications.tasks.notify_about_post"
    run_worker()
    assert [m.to for m in mail.outbox] == [[reader.email]]
    queued.refresh_from_db()
    assert queued.status == TaskResultStatus.SUCCESSFUL


def test_a_post_that_replies_to_nobody_and_mentions_nobody_queues_nothing(
    article: Article, outsider: User, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(outsider)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{article.get_absolute_url()}posts/", form_data(article, "Just a thought."))
    assert Post.objects.count() == 1
    assert not DBTaskResult.objects.exists()


def test_a_broken_mail_server_does_not_fail_the_post(
    article: Article,
    reader: User,
    outsider: User,
    client: Client,
    run_worker: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.BrokenServer"
    mail_backends.BrokenServer.calls = 0
    opted_in(reader)
    post_comment(article=article, body="Cramps at night.", author=reader)
    client.force_login(outsider)
    response = _reply_through_the_page(client, article, django_capture_on_commit_callbacks)
    assert response.status_code == 302 and response["Location"].endswith("#post-2")
    assert mail_backends.BrokenServer.calls == 0
    run_worker()
    assert mail_backends.BrokenServer.calls == 1
    # This attempt failed; the same email waits to be tried again later.
    statuses = sorted(DBTaskResult.objects.values_list("status", flat=True))
    assert statuses == [TaskResultStatus.FAILED, TaskResultStatus.READY]
    assert "Same here." in client.get(article.get_absolute_url()).content.decode()


def test_a_slow_mail_server_does_not_slow_posting(
    article: Article,
    reader: User,
    outsider: User,
    client: Client,
    run_worker: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.SlowServer"
    mail_backends.SlowServer.calls = 0
    opted_in(reader)
    post_comment(article=article, body="Cramps at night.", author=reader)
    client.force_login(outsider)
    started = time.monotonic()
    response = _reply_through_the_page(client, article, django_capture_on_commit_callbacks)
    took = time.monotonic() - started
    assert response.status_code == 302
    assert mail_backends.SlowServer.calls == 0
    assert took < mail_backends.SLOW_SECONDS
    run_worker()
    assert mail_backends.SlowServer.calls == 1
