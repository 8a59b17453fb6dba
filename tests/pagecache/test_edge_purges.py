"""Pages offered to an edge (Varnish, a CDN), the purges every write sends it, and what
happens while a purge cannot get through."""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from knowhow.articles.models import Article
from knowhow.discussion.forms import read_token
from knowhow.discussion.services import post_comment
from knowhow.pagecache import edge
from tests.pagecache.conftest import Server

FROM_EDGE = {"Surrogate-Capability": 'varnish="ESI/1.0"'}
SECRET = "A" * 16 + "b" * 16


class FakeEdge(ThreadingHTTPServer):
    """An edge that records the purges it gets, and answers 503 while `down`."""

    def __init__(self) -> None:
        self.purged: list[tuple[str, str]] = []
        self.down = False
        edge_server = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                key = self.headers.get("xkey") or self.headers.get("Surrogate-Key") or ""
                edge_server.purged.append((self.command, key))
                self.send_response(503 if edge_server.down else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_PURGE = do_POST = _answer

            def log_message(self, *args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)

    @property
    def url(self) -> str:
        return f"varnish://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def fake_edge() -> Iterator[FakeEdge]:
    server = FakeEdge()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    edge.owed.cache_clear()
    with override_settings(EDGE_PURGE_URLS=[server.url], EDGE_MAX_AGE=600):
        yield server
    server.shutdown()
    edge.owed.cache_clear()


def test_an_edge_gets_one_page_for_everyone_with_no_token_in_it(
    server: Server, article: Article, fake_edge: FakeEdge
) -> None:
    asked = time.time()
    page = server.request(article.get_absolute_url(), headers=FROM_EDGE)
    # Kept two seconds: the form's time in it is everyone's for that long.
    assert page.headers["surrogate-control"] == "max-age=2"
    assert "esi:include" not in page.text
    # The token's field is empty, for the page's script to fill from the visitor's cookie.
    assert '<input type="hidden" name="csrfmiddlewaretoken" value="">' in page.text
    assert "knowhow/form-token" in page.text
    assert page.cookies == [] and "vary" not in page.headers and "etag" not in page.headers
    # The form's time, signed as shown 3 s ahead (never older than a visit while kept).
    issued = re.search(r'name="issued" value="([^"]+)" id="id_issued"', page.text)
    assert issued is not None
    value = html.unescape(issued.group(1))
    assert float(value.split(":")[1]) >= asked + 3 - 0.5
    assert value.split(":")[2].startswith(".")  # shared: bound to each visitor on posting
    token = read_token(value, article.pk, now=asked + 4)
    assert token is not None
    # Straight from knowhow, the same kept page is the visitor's own, as before.
    direct = server.request(article.get_absolute_url())
    assert 'name="csrfmiddlewaretoken" value=""' not in direct.text and direct.cookies
    assert "surrogate-control" not in direct.headers


def test_the_old_fields_address_is_gone(server: Server, article: Article) -> None:
    fields = server.request(f"/-/fields/csrf,issued.{article.pk}", cookies={"csrftoken": SECRET})
    assert fields.status == 404 and "csrfmiddlewaretoken" not in fields.text


def test_a_write_purges_its_tags_before_it_answers(
    server: Server, article: Article, fake_edge: FakeEdge
) -> None:
    post_comment(article=article, body="Magnesium before bed works for me.")
    assert ("PURGE", f"thread-{article.pk}") in [
        (method, tag) for method, keys in fake_edge.purged for tag in keys.split()
    ]


def test_a_failed_purge_is_retried_and_the_edge_asks_each_time_until_then(
    server: Server, article: Article, fake_edge: FakeEdge
) -> None:
    fake_edge.down = True
    post_comment(article=article, body="A post whose purge does not get through.")
    page = server.request(article.get_absolute_url(), headers=FROM_EDGE)
    assert page.headers["surrogate-control"] == "max-age=0"
    queued = DBTaskResult.objects.filter(task_path="knowhow.pagecache.edge.purge_later")
    assert queued.count() >= 1
    url, tags, attempt = queued.first().args_kwargs["args"]  # type: ignore[union-attr]
    assert url == fake_edge.url and f"thread-{article.pk}" in tags
    # A retry that fails again is queued again, and pages still say not to keep them.
    assert edge.purge_later.call(url, tags, attempt) is False
    assert queued.count() >= 2
    fake_edge.down = False
    assert edge.purge_later.call(url, tags, attempt + 1) is True
    page = server.request(article.get_absolute_url(), headers=FROM_EDGE)
    assert page.headers["surrogate-control"] == "max-age=2"


def test_purge_urls_are_checked_when_the_site_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from knowhow.config import env_edge_purgers

    monkeypatch.setenv(
        "KNOWHOW_EDGE_PURGE_URLS", "varnish://10.0.0.5:6081, https://cdn.example/purge"
    )
    assert env_edge_purgers("KNOWHOW_EDGE_PURGE_URLS") == [
        "varnish://10.0.0.5:6081",
        "https://cdn.example/purge",
    ]
    monkeypatch.setenv("KNOWHOW_EDGE_PURGE_URLS", "10.0.0.5:6081")
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_EDGE_PURGE_URLS"):
        env_edge_purgers("KNOWHOW_EDGE_PURGE_URLS")


def test_a_token_outside_the_known_fields_is_never_left_to_an_edge() -> None:
    from knowhow.pagecache.holes import Hole
    from knowhow.pagecache.wsgi import _edge_body

    known = [b'<form><input type="hidden" name="csrfmiddlewaretoken" value="', Hole("csrf", ""),
             b'"></form>']  # fmt: skip
    assert _edge_body(known, 0.0) == (
        b'<form><input type="hidden" name="csrfmiddlewaretoken" value=""></form>',
        False,
    )
    # Anywhere else (a data attribute, a script) the page goes out as a visitor's own.
    assert _edge_body([b'<div data-token="', Hole("csrf", ""), b'">'], 0.0)[0] is None
    assert _edge_body([Hole("csrf", "")], 0.0)[0] is None
