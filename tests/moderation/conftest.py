"""A moderator's signed-in client (the moderator is tests/conftest.py's), posts for the
queue (held ones and reported ones), and a local stand-in for the spam checker."""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import submit_post
from knowhow.moderation.services import flag_post
from tests.notifications.conftest import publish  # noqa: F401  (a fixture, used here too)


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
def report(settings: Any) -> Callable[..., None]:
    """Reports of a post from `times` readers whose reports count (every account is an
    established reader here), each with an account and a network of their own."""
    settings.ESTABLISHED_ACCOUNT_DAYS = 0
    settings.ESTABLISHED_POSTS = 0
    settings.REPORT_RATE_ACCOUNT = settings.REPORT_RATE_ADDRESS = [(10_000, 3600)]
    settings.REPORT_RATE_NETWORK = [(10_000, 3600)]

    def make(post: Post, times: int = 1, reason: str = "spam", note: str = "") -> None:
        for n in range(times):
            reporter, _ = User.objects.get_or_create(username=f"reporter{n}")
            flag_post(
                post=post,
                reason=reason,
                note=note,
                reporter=reporter,
                address=address_of(f"198.51.{100 + n}.1"),
            )

    return make


# A local stand-in for the spam checker's service: what it was told, by address and form.
class FakeAkismet(BaseHTTPRequestHandler):
    received: list[tuple[str, dict[str, str]]] = []

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        length = int(self.headers["Content-Length"])
        form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
        self.received.append((self.path, form))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"Thanks for making the web a better place.")

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def akismet(settings: Any) -> Iterator[list[tuple[str, dict[str, str]]]]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAkismet)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.AKISMET_KEY = "test-key"
    settings.AKISMET_URL = f"http://127.0.0.1:{server.server_address[1]}/1.1/comment-check"
    FakeAkismet.received = []
    yield FakeAkismet.received
    server.shutdown()
