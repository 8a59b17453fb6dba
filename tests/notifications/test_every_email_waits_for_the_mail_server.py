"""Every email the site sends is kept while the mail server is down and arrives once it is
back: a password reset, a sign-in link, the note about a shared address, a reply, a confirmation, an
answered question, a moderator's digest and a server error's report to the admins.

Each is asked for through the site as a reader, editor or failing page would, with a real
SMTP server not listening; the task worker's attempt fails and is queued again; the server
starts, the backoff passes, the worker runs, and the email is in the server's inbox.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from email.message import Message
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from knowhow.articles.models import Article
from knowhow.newsroom import answer_mail
from knowhow.newsroom.models import Question
from knowhow.notifications.confirmations import request_confirmation
from knowhow.retries import BACKOFF
from tests.notifications.conftest import opted_in
from tests.pages import visible_text
from tests.smtp_server import MailServer
from tests.writers import parse

SITE = "https://kh.example.org"
SOURCE = Path(__file__).resolve().parents[2] / "src" / "knowhow"
SENDS_MAIL = {"send", "send_mail", "send_mass_mail", "mail_admins", "send_messages"}


@pytest.fixture(autouse=True)
def _site(settings: Any) -> None:
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["kh.example.org", "testserver"]
    settings.HOLD_ANONYMOUS_POSTS = False


def body(message: Message) -> str:
    part = message.get_payload(0) if message.is_multipart() else message
    assert isinstance(part, Message)
    return str(part.get_payload(decode=True).decode())


def _when_down_then_up(
    ask: Callable[[], None], run_worker: Any, mail_server: MailServer, clock: Any
) -> Message:
    ask()
    run_worker()  # the mail server is down: the attempt fails
    assert mail_server.inbox.messages == []
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY)
    assert waiting.exists(), "nothing is waiting to be tried again: the email is lost"
    mail_server.start()
    clock.advance(BACKOFF[0] + 1)
    run_worker()
    (message,) = mail_server.inbox.messages
    assert not DBTaskResult.objects.filter(status=TaskResultStatus.READY).exists()
    clock.advance(sum(BACKOFF) + 1)  # and never a second time
    run_worker()
    assert len(mail_server.inbox.messages) == 1
    return message


def test_a_password_reset_asked_for_while_the_mail_server_is_down_arrives_and_works(
    reader: User, run_worker: Any, mail_server: MailServer, clock: Any
) -> None:
    client = Client()
    message = _when_down_then_up(
        lambda: client.post("/accounts/password_reset/", {"email": reader.email}),
        run_worker,
        mail_server,
        clock,
    )
    assert message["To"] == reader.email
    link = re.search(rf"{re.escape(SITE)}(/accounts/reset/\S+/)", body(message))
    assert link, body(message)
    form = client.get(link.group(1), follow=True)
    assert "Choose a new password" in visible_text(form.content)
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "brand new passphrase 9", "new_password2": "brand new passphrase 9"},
        follow=True,
    )
    assert "Your password has been changed" in visible_text(done.content)


def test_the_note_about_a_shared_address_arrives(
    reader: User, run_worker: Any, mail_server: MailServer, clock: Any
) -> None:
    def sign_up() -> None:
        answer = Client().post(
            "/accounts/signup/",
            {
                "username": "secondreader",
                "email": reader.email,
                "password1": "a long unusual passphrase",
                "password2": "a long unusual passphrase",
            },
        )
        assert answer.status_code == 302

    message = _when_down_then_up(sign_up, run_worker, mail_server, clock)
    assert message["To"] == reader.email
    assert "secondreader" in body(message) and reader.username in body(message)


def test_a_sign_in_link_asked_for_while_the_mail_server_is_down_arrives_and_works(
    reader: User, run_worker: Any, mail_server: MailServer, clock: Any
) -> None:
    client = Client()
    message = _when_down_then_up(
        lambda: client.post("/accounts/signin-link/", {"username": reader.username}),
        run_worker,
        mail_server,
        clock,
    )
    assert message["To"] == reader.email
    link = re.search(rf"{re.escape(SITE)}(/accounts/signin-link/\S+/)", body(message))
    assert link, body(message)
    assert client.post(link.group(1)).status_code == 302
    assert client.session["_auth_user_id"] == str(reader.pk)


def test_a_reply_email_arrives(
    article: Article,
    reader: User,
    outsider: User,
    publish: Any,
    run_worker: Any,
    mail_server: MailServer,
    clock: Any,
) -> None:
    opted_in(reader)
    publish(article=article, body="Cramps at night.", author=reader)

    def reply() -> None:
        publish(article=article, body="Same here, every winter.", author=outsider, reply_to=1)

    message = _when_down_then_up(reply, run_worker, mail_server, clock)
    assert message["To"] == reader.email
    assert "Same here, every winter." in body(message)


def test_a_confirmation_email_arrives(
    reader: User,
    run_worker: Any,
    mail_server: MailServer,
    clock: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    def ask() -> None:
        with django_capture_on_commit_callbacks(execute=True):
            assert request_confirmation(email=reader.email, user=reader)

    message = _when_down_then_up(ask, run_worker, mail_server, clock)
    assert message["To"] == reader.email
    assert f"{SITE}/" in body(message) and "confirm" in body(message).lower()


def test_the_email_saying_a_question_is_answered_arrives(
    article: Article, run_worker: Any, mail_server: MailServer, clock: Any
) -> None:
    Question.objects.create(
        text="Why do calves cramp?", email="pat@example.net", draft=article,
        state=Question.State.DRAFTED,
    )  # fmt: skip
    message = _when_down_then_up(
        lambda: answer_mail.queue_answer_emails(None, article=article),
        run_worker,
        mail_server,
        clock,
    )
    assert message["To"] == "pat@example.net"
    assert f"{SITE}{article.get_absolute_url()}" in body(message)


def test_a_moderators_digest_arrives(
    article: Article,
    moderator: User,
    publish: Any,
    run_worker: Any,
    mail_server: MailServer,
    clock: Any,
    settings: Any,
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    message = _when_down_then_up(
        lambda: publish(article=article, body="Held while the mail server is down."),
        run_worker,
        mail_server,
        clock,
    )
    assert message["To"] == moderator.email
    assert "1 post awaiting moderation" in message["Subject"]
    assert "Post 1 by an anonymous reader" in body(message)


def test_a_server_errors_report_to_the_admins_arrives(
    db: None,
    run_worker: Any,
    mail_server: MailServer,
    clock: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.ADMINS = [("Ann Lee", "ann@example.org")]

    def boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("the home page broke")

    monkeypatch.setattr("knowhow.site.views.articles.recent_articles", boom)

    def fail() -> None:
        assert Client(raise_request_exception=False).get("/").status_code == 500

    message = _when_down_then_up(fail, run_worker, mail_server, clock)
    assert message["To"] == "ann@example.org"
    assert "RuntimeError at /" in body(message)


def test_every_task_that_sends_mail_is_retried_and_none_swallows_a_refusal() -> None:
    """A plain task that sends mail records success or failure once: the email is lost when
    the mail server is away. Mail tasks are made with retries.retrying_task, the one way."""
    plain, silent = [], []
    for path in SOURCE.rglob("*.py"):
        tree = parse(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "fail_silently":
                silent.append(f"{path.name}:{node.lineno}")
            if not isinstance(node, ast.FunctionDef):
                continue
            names = {(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}
            if not any(isinstance(n, ast.Name) and n.id == "task" for n in names):
                continue
            called = {
                c.func.attr if isinstance(c.func, ast.Attribute) else getattr(c.func, "id", "")
                for c in ast.walk(node)
                if isinstance(c, ast.Call)
            }
            if called & SENDS_MAIL:
                plain.append(f"{path.name}:{node.name}")
    assert plain == []
    assert silent == []
