"""A reply email that fails because the mail server is down is tried again later, and
arrives once the server is back; a server that never comes back leaves it failed, listed."""

from __future__ import annotations

from io import StringIO
from typing import Any

from django.contrib.auth.models import User
from django.core.management import call_command
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment
from knowhow.retries import BACKOFF
from tests.notifications.conftest import opted_in
from tests.smtp_server import MailServer


def _reply(publish: Any, article: Article, reader: User, outsider: User) -> None:
    opted_in(reader)
    post_comment(article=article, body="Cramps at night.", author=reader)
    publish(article=article, body="Same here, every winter.", author=outsider, reply_to=1)


def _tasks_listing() -> str:
    out = StringIO()
    call_command("tasks", stdout=out)
    return out.getvalue()


def test_an_email_sent_while_the_mail_server_is_down_arrives_after_it_comes_back(
    article: Article,
    reader: User,
    outsider: User,
    publish: Any,
    run_worker: Any,
    mail_server: MailServer,
    clock: Any,
) -> None:
    _reply(publish, article, reader, outsider)
    run_worker()  # the server is down: refused
    assert mail_server.inbox.messages == []
    first = DBTaskResult.objects.get(status=TaskResultStatus.FAILED)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after > timezone.now()
    assert "WillRetry" in first.exception_class_path
    assert "Waiting (1):" in _tasks_listing()

    mail_server.start()
    run_worker()  # too early: the retry waits its turn
    assert mail_server.inbox.messages == []
    clock.advance(BACKOFF[0] + 1)
    run_worker()
    (message,) = mail_server.inbox.messages
    assert message["To"] == reader.email
    assert "Same here, every winter." in message.get_payload(decode=True).decode()
    retry.refresh_from_db()
    assert retry.status == TaskResultStatus.SUCCESSFUL

    clock.advance(sum(BACKOFF))  # nothing else was queued: it is not sent twice
    run_worker()
    assert len(mail_server.inbox.messages) == 1
    assert _tasks_listing().startswith("Failed (0):")


def test_a_mail_server_that_never_comes_back_leaves_the_email_failed_and_listed(
    article: Article,
    reader: User,
    outsider: User,
    publish: Any,
    run_worker: Any,
    mail_server: MailServer,
    clock: Any,
) -> None:
    _reply(publish, article, reader, outsider)
    for pause in (0, *BACKOFF):
        clock.advance(pause + 1)
        run_worker()
    results = DBTaskResult.objects.order_by("enqueued_at")
    assert [r.status for r in results] == [TaskResultStatus.FAILED] * (len(BACKOFF) + 1)
    clock.advance(10 * max(BACKOFF))
    run_worker()
    assert DBTaskResult.objects.count() == len(BACKOFF) + 1  # given up: no more attempts
    listing = _tasks_listing()
    assert "Failed (1):" in listing
    assert "notify_about_post" in listing
    assert f"after {len(BACKOFF) + 1} attempt(s): ConnectionRefusedError" in listing
    assert "Waiting (0):" in listing
