"""Webhooks: signed deliveries of the site's events, sent by the task worker to a local
receiver, again after a pause while it is down, and logged with how each attempt went."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from knowhow.antiabuse.models import BlockedTerm
from knowhow.api import webhooks
from knowhow.api.models import Delivery, Webhook
from knowhow.articles import services as workflow
from knowhow.articles.models import Article
from tests.api.conftest import TokenClient


class Receiver:
    """A local HTTP server that keeps what it is sent, answering `status`."""

    def __init__(self, port: int = 0, status: int = 204) -> None:
        self.received: list[tuple[dict[str, str], bytes]] = []
        self.status = status
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append((dict(self.headers.items()), body))
                self.send_response(outer.status)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found = Receiver()
    yield found
    found.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _post(client: TokenClient, article: Article, body: str, capture: Any) -> Any:
    with capture(execute=True):
        return client.send("POST", f"/api/v1/articles/{article.slug}/posts/", {"body": body})


def test_a_post_is_delivered_signed_to_the_webhooks_that_asked_for_it(
    receiver: Receiver,
    as_reader: TokenClient,
    article: Article,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    hook = Webhook.objects.create(url=receiver.url, events="post.published post.held")
    Webhook.objects.create(url=receiver.url, events="article.published")  # not this event
    Webhook.objects.create(url=receiver.url, events="post.published", active=False)
    assert (
        _post(as_reader, article, "Hello, hooks", django_capture_on_commit_callbacks).status_code
        == 201
    )
    run_worker()
    assert len(receiver.received) == 1
    headers, body = receiver.received[0]
    assert headers["X-Knowhow-Event"] == "post.published"
    assert webhooks.verify(hook.secret, headers["X-Knowhow-Signature"], body, now=time.time())
    assert not webhooks.verify("another secret", headers["X-Knowhow-Signature"], body,
                               now=time.time())  # fmt: skip
    assert not webhooks.verify(hook.secret, headers["X-Knowhow-Signature"], body + b" ",
                               now=time.time())  # fmt: skip
    # A delivery replayed later than the receiver allows is refused by the check.
    assert not webhooks.verify(hook.secret, headers["X-Knowhow-Signature"], body,
                               now=time.time() + 600)  # fmt: skip
    sent = json.loads(body)
    assert sent["event"] == "post.published"
    assert sent["data"]["number"] == 1
    assert sent["data"]["author"] == "reader"
    assert sent["data"]["article"]["slug"] == article.slug
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("delivered", 1, 204)


def test_a_held_post_is_told_to_the_moderators_hooks(
    receiver: Receiver,
    as_reader: TokenClient,
    article: Article,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    Webhook.objects.create(url=receiver.url, events="post.held")
    BlockedTerm.objects.create(kind="word", value="casino")
    _post(as_reader, article, "Visit my casino", django_capture_on_commit_callbacks)
    run_worker()
    sent = json.loads(receiver.received[0][1])
    assert sent["event"] == "post.held"
    assert sent["data"]["status"] == "held"
    assert "casino" in sent["data"]["held_because"]


def test_a_receiver_that_is_down_gets_the_delivery_when_it_comes_back(
    as_reader: TokenClient,
    article: Article,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
    time_machine: Any,
) -> None:
    port = _free_port()
    Webhook.objects.create(url=f"http://127.0.0.1:{port}/hook", events="post.published")
    _post(as_reader, article, "Anyone there?", django_capture_on_commit_callbacks)
    run_worker()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("pending", 1, None)
    assert delivery.error
    assert delivery.next_attempt_at is not None
    first_retry = delivery.next_attempt_at
    back = Receiver(port=port, status=503)  # up, but failing
    try:
        time_machine.move_to(first_retry + dt.timedelta(seconds=1))
        run_worker()
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.response_status) == (
            "pending", 2, 503)  # fmt: skip
        assert delivery.next_attempt_at is not None
        assert delivery.next_attempt_at - timezone.now() > first_retry - delivery.created_at
        back.status = 200
        time_machine.move_to(delivery.next_attempt_at + dt.timedelta(seconds=1))
        run_worker()
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.response_status) == (
            "delivered", 3, 200)  # fmt: skip
        assert len(back.received) == 2
        assert json.loads(back.received[-1][1])["data"]["number"] == 1
    finally:
        back.close()


def test_a_delivery_fails_for_good_after_the_last_pause(
    as_reader: TokenClient, article: Article, django_capture_on_commit_callbacks: Any
) -> None:
    Webhook.objects.create(url=f"http://127.0.0.1:{_free_port()}/hook", events="post.published")
    _post(as_reader, article, "Into the void", django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    for _ in range(len(webhooks.BACKOFF) + 1):
        webhooks.attempt(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", len(webhooks.BACKOFF) + 1)
    assert delivery.next_attempt_at is None


def test_a_webhook_names_only_known_events(db: None) -> None:
    with pytest.raises(ValidationError):
        Webhook(url="https://example.org/hook", events="post.published post.liked").full_clean()
    hook = Webhook(url="https://example.org/hook", events="post.held post.held")
    hook.full_clean()
    assert hook.events == "post.held"


def test_an_article_going_live_is_delivered(
    receiver: Receiver,
    writer_account: Any,
    editor_account: Any,
    topic: Any,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    Webhook.objects.create(url=receiver.url, events="article.published")
    draft = workflow.create_article(
        by=writer_account, title="What is a Shin Splint?", topic=topic, body="Pain."
    )
    workflow.submit_for_review(article=draft, by=writer_account)
    workflow.approve(article=draft, by=editor_account)
    run_worker()
    assert receiver.received == [], "nothing is told before the article goes live"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=draft, by=editor_account)
    run_worker()
    sent = json.loads(receiver.received[0][1])
    assert sent["event"] == "article.published"
    assert sent["data"]["slug"] == draft.slug
    assert TokenClient().get(sent["data"]["api_url"]).status_code == 200


def test_an_administrator_registers_a_webhook_and_reads_its_deliveries(db: None) -> None:
    from django.contrib.auth.models import User
    from django.test import Client

    admin = User.objects.create_superuser("boss", "boss@example.org", "x")
    client = Client()
    client.force_login(admin)
    wrong = client.post("/admin/knowhow_api/webhook/add/",
                        {"url": "https://example.org/hook", "events": "post.liked",
                         "secret": "s" * 64, "active": "on"})  # fmt: skip
    assert wrong.status_code == 200
    assert "Name one or more of" in wrong.text
    made = client.post("/admin/knowhow_api/webhook/add/",
                       {"url": "https://example.org/hook", "events": "post.held",
                        "secret": "s" * 64, "active": "on"})  # fmt: skip
    assert made.status_code == 302
    assert Webhook.objects.get().events == "post.held"
    assert client.get("/admin/knowhow_api/delivery/").status_code == 200
    assert client.get("/admin/knowhow_api/delivery/add/").status_code == 403
    outsider = Client()
    assert outsider.get("/admin/knowhow_api/webhook/").status_code == 302


def test_a_question_asked_is_delivered_once(
    receiver: Receiver,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
    editor_account: Any,
) -> None:
    from django.test import Client

    from knowhow.newsroom.models import Question
    from tests.newsroom.test_questions_asking import ask_data

    Webhook.objects.create(url=receiver.url, events="question.asked")
    with django_capture_on_commit_callbacks(execute=True):
        asked = Client().post("/ask/", ask_data(text="Why do cramps come at night?"))
    assert asked.status_code == 302
    with django_capture_on_commit_callbacks(execute=True):
        question = Question.objects.get()
        question.state = Question.State.values[-1]
        question.save()  # an editor's decision is no new question
    run_worker()
    assert len(receiver.received) == 1
    sent = json.loads(receiver.received[0][1])
    assert sent["event"] == "question.asked"
    assert sent["data"]["text"] == "Why do cramps come at night?"
    assert "email" not in sent["data"]
