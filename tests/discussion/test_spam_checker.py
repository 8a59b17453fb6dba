"""The optional Akismet-compatible checker, against a fake server on 127.0.0.1."""

from __future__ import annotations

import threading
import time
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from knowhow.antiabuse import akismet
from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import submit_post

received: list[dict[str, str]] = []


class FakeChecker(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        length = int(self.headers["Content-Length"])
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        received.append(form)
        if self.path == "/slow":
            time.sleep(2)
        answer = {"/broken": b"invalid"}.get(self.path)
        if answer is None:
            answer = b"true" if "pharmacy" in form.get("comment_content", "") else b"false"
        self.send_response(200)
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def checker(settings) -> Iterator[str]:  # type: ignore[no-untyped-def]
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeChecker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    settings.AKISMET_KEY = "test-key"
    settings.AKISMET_URL = base + "/1.1/comment-check"
    received.clear()
    yield base
    server.shutdown()


def send(article: Article, body: str) -> Post:
    return submit_post(
        article=article, body=body, address=address_of("192.0.2.30"), form_age=30,
        user_agent="Mozilla/5.0 test",
    ).post  # fmt: skip


def test_checker_is_off_by_default(article: Article, settings) -> None:  # type: ignore[no-untyped-def]
    settings.AKISMET_KEY = ""
    assert not akismet.is_enabled()
    assert send(article, "Cheap pharmacy here").status == Post.Status.PUBLISHED


def test_checker_verdict_holds_spam_and_passes_ham(article: Article, checker: str) -> None:
    spam = send(article, "Cheap pharmacy, no prescription")
    ham = send(article, "Magnesium helped my cramps")
    assert spam.status == Post.Status.HELD and "spam checker says spam" in spam.held_because
    assert ham.status == Post.Status.PUBLISHED
    sent = received[0]
    assert sent["api_key"] == "test-key" and sent["user_ip"] == "192.0.2.30"
    assert sent["comment_type"] == "comment" and sent["user_agent"] == "Mozilla/5.0 test"


def test_slow_or_broken_checker_does_not_block_posting(
    article: Article, checker: str, settings, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(akismet, "TIMEOUT_SECONDS", 0.3)
    settings.AKISMET_URL = checker + "/slow"
    started = time.monotonic()
    assert send(article, "Cheap pharmacy but checker is slow").status == Post.Status.PUBLISHED
    assert time.monotonic() - started < 1.5
    settings.AKISMET_URL = checker + "/broken"
    assert send(article, "Another pharmacy, checker broken").status == Post.Status.PUBLISHED
    settings.AKISMET_URL = "http://127.0.0.1:9/unreachable"
    assert send(article, "Third pharmacy, checker down").status == Post.Status.PUBLISHED
