"""The example client the documentation gives, run against a live server: it posts to a
discussion with a token and reads the discussion back."""

from __future__ import annotations

import json
import urllib.request
from typing import Any

import pytest

from knowhow.accounts import api_tokens
from knowhow.articles.models import Article
from tests import people

pytestmark = pytest.mark.django_db(transaction=True)


def example_client(site: str, token: str, slug: str) -> list[str]:
    # --- the documentation's example, as a reader would copy it ---
    def call(method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        request = urllib.request.Request(
            path if path.startswith("http") else f"{site}/api/v1{path}",
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request) as response:
            return json.load(response)

    posted = call("POST", f"/articles/{slug}/posts/", {"body": "Hello from *Python*"})
    print("Posted as number", posted["number"], "held" if posted["held"] else "")
    thread = call("GET", f"/articles/{slug}/posts/")
    lines = []
    while True:
        lines += [f"{p['number']}: {p['author']}: {p['body_html']}" for p in thread["items"]]
        if not thread["next"]:
            break
        thread = call("GET", thread["next"])
    return lines
    # --- end of the example ---


def test_the_example_client_posts_and_reads_back(live_server: Any, article: Article) -> None:
    token = api_tokens.create_token(
        user=people.make_reader(), name="example", scopes=["read", "post"], days=30
    ).text
    lines = example_client(live_server.url, token, article.slug)
    assert lines == ["1: reader: <p>Hello from <em>Python</em></p>\n"]
