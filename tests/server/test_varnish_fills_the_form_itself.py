"""Through the shipped Varnish file the article page's form costs knowhow nothing per
delivery: Varnish writes the visitor's CSRF token from their cookie, and the time the form
was shown is in the page, everyone's for two seconds. Posting without JavaScript still
works, and the checks still hold: a post sent too fast is refused, a form posts once per
visitor, and the token is never in a compressed page."""

from __future__ import annotations

import http.client
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from tests.nginx_site import cookies_of, form_fields
from tests.varnish_site import ARTICLE, HOST, Edge, edge_site

HTTPS = {"X-Forwarded-Proto": "https"}
WAIT = 3  # KNOWHOW_MIN_SUBMIT_SECONDS of this site


@pytest.fixture(scope="module")
def slow_edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Edge]:
    with edge_site(
        tmp_path_factory,
        KNOWHOW_MIN_SUBMIT_SECONDS=str(WAIT),
        KNOWHOW_POST_RATE_ANONYMOUS="1000/1m",
    ) as site:
        yield site


def visitor(edge: Edge) -> str:
    response, _ = edge.request("GET", ARTICLE, headers=HTTPS)
    return f"csrftoken={cookies_of(response)['csrftoken']}"


def page(edge: Edge, cookie: str, **headers: str) -> tuple[http.client.HTTPResponse, str]:
    response, body = edge.request("GET", ARTICLE, headers={**HTTPS, "Cookie": cookie, **headers})
    return response, body.decode()


def send(edge: Edge, cookie: str, fields: dict[str, str], text: str) -> tuple[int, str]:
    """The form as a browser without JavaScript sends it: its hidden fields as they came."""
    form = {**fields, "body": text, "website": "", "as": "anonymous"}
    response, body = edge.request(
        "POST",
        ARTICLE + "posts/",
        body=urlencode(form),
        headers={
            **HTTPS,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": cookie,
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}{ARTICLE}",
        },
    )
    return response.status, body.decode()


def test_varnish_writes_the_token_and_shares_the_form_time(slow_edge: Edge) -> None:
    mine, theirs = visitor(slow_edge), visitor(slow_edge)
    page(slow_edge, mine)
    asked = time.time()
    response, html = page(slow_edge, mine)
    fields = form_fields(html)
    # The visitor's own secret, as Django takes it, in a page Varnish does not compress.
    assert fields["csrfmiddlewaretoken"] == mine.split("=", 1)[1]
    assert form_fields(page(slow_edge, theirs)[1])["csrfmiddlewaretoken"] == theirs.split("=")[1]
    zipped, body = page(slow_edge, mine, **{"Accept-Encoding": "gzip, br"})
    assert zipped.headers.get("Content-Encoding") is None and "csrfmiddlewaretoken" in body
    # The form's time is signed as shown no earlier than this visit: never an older one.
    moment = float(fields["issued"].split(":")[1])
    assert moment >= asked


def test_a_post_without_javascript_through_varnish(slow_edge: Edge) -> None:
    reader, other = visitor(slow_edge), visitor(slow_edge)
    asked = time.time()
    _, html = page(slow_edge, reader)
    fields = form_fields(html)
    # Sent the moment the page came: refused, whoever shared the form's time.
    status, answer = send(slow_edge, reader, fields, "Stretching before bed helps me.")
    assert status == 400 and "quicker than anyone reads" in answer
    assert "Stretching before bed helps me." in answer  # the text is kept
    # Another visitor of the same second gets the same form time, and a form of their own.
    _, theirs = page(slow_edge, other)
    shared = form_fields(theirs)
    assert shared["issued"] == fields["issued"] or time.time() - asked > 2
    time.sleep(WAIT + 3 + 1.5)  # the form's time is signed 3 s ahead (2 kept, 1 more)
    status, answer = send(slow_edge, reader, fields, "Stretching before bed helps me.")
    assert status in (302, 303), answer
    status, answer = send(slow_edge, other, shared, "Magnesium helped my cramps.")
    assert status in (302, 303), answer
    # The same form again from the same visitor: one form, one post.
    status, answer = send(slow_edge, reader, fields, "And a second post from one form.")
    assert status == 400 and "already used" in answer
    _, now = page(slow_edge, other)
    assert "Stretching before bed helps me." in now and "Magnesium helped my cramps." in now
