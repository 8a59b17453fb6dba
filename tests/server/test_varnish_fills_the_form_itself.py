"""Through the shipped Varnish file the article page costs knowhow nothing per delivery:
one copy for every visitor, its CSRF field empty (the page's script fills it from the
visitor's cookie when the form is sent) and the time the form was shown everyone's for two
seconds. Posting without JavaScript still works, one step more; the checks still hold: a
post sent too fast is refused, a form posts once per visitor, and no token is ever in a
page Varnish keeps."""

from __future__ import annotations

import gzip
import http.client
import re
import time
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest

from tests.nginx_site import cookies_of, form_fields
from tests.varnish_site import ARTICLE, HOST, Edge, edge_site

HTTPS = {"X-Forwarded-Proto": "https"}
WAIT = 3  # KNOWHOW_MIN_SUBMIT_SECONDS of this site
AHEAD = 3  # the form's time is signed as shown 3 s after it is made (kept 2 s, 1 s more)


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
    """The form as a browser sends it: its hidden fields as they are."""
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


def test_the_kept_page_holds_no_token_and_a_form_time_never_older_than_the_visit(
    slow_edge: Edge,
) -> None:
    mine = visitor(slow_edge)
    asked = time.time()
    response, body = slow_edge.request(
        "GET", ARTICLE, headers={**HTTPS, "Cookie": mine, "Accept-Encoding": "gzip, br"}
    )
    # Compressed by Varnish, which may: nothing in it is the visitor's own.
    assert response.headers["Content-Encoding"] == "gzip"
    html = gzip.decompress(body).decode()
    fields = form_fields(html)
    assert fields["csrfmiddlewaretoken"] == ""
    assert mine.split("=", 1)[1] not in html
    # Signed as shown no earlier than this visit: the wait to post counts from it or later.
    assert float(fields["issued"].split(":")[1]) >= asked


def test_a_post_without_javascript_through_varnish(slow_edge: Edge) -> None:
    reader = visitor(slow_edge)
    _, html = page(slow_edge, reader)
    fields = form_fields(html)
    time.sleep(WAIT + AHEAD + 1)
    # Sent as it came (no script filled the token): nothing is posted, the form comes back
    # with the text, the same form time and the reader's token.
    status, answer = send(slow_edge, reader, fields, "Stretching before bed helps me.")
    assert status == 400 and "press Post once more" in answer
    assert "Stretching before bed helps me." in answer
    again = form_fields(answer)
    assert again["issued"] == fields["issued"] and again["csrfmiddlewaretoken"]
    status, answer = send(slow_edge, reader, again, "Stretching before bed helps me.")
    assert status in (302, 303), answer
    _, now = page(slow_edge, reader)
    assert "Stretching before bed helps me." in now


def test_a_post_sent_too_fast_is_refused_and_a_form_posts_once(slow_edge: Edge) -> None:
    reader, other = visitor(slow_edge), visitor(slow_edge)
    _, html = page(slow_edge, reader)
    _, theirs = page(slow_edge, other)
    mine = form_fields(html) | {"csrfmiddlewaretoken": reader.split("=", 1)[1]}  # the script
    shared = form_fields(theirs) | {"csrfmiddlewaretoken": other.split("=", 1)[1]}
    # Sent the moment the page came, by a bot that fills the token as the script does.
    status, answer = send(slow_edge, reader, mine, "Magnesium helped my cramps.")
    assert status == 400 and "quicker than anyone reads" in answer
    assert "Magnesium helped my cramps." in answer  # the text is kept
    time.sleep(WAIT + AHEAD + 1)
    status, answer = send(slow_edge, reader, mine, "Magnesium helped my cramps.")
    assert status in (302, 303), answer
    # Another visitor, most likely of the same two seconds and the same form time: their
    # own form all the same.
    status, answer = send(slow_edge, other, shared, "Warm baths helped me more.")
    assert status in (302, 303), answer
    # The same form again from the same visitor: one form, one post.
    status, answer = send(slow_edge, reader, mine, "And a second post from one form.")
    assert status == 400 and "already used" in answer
    # A post from another site is refused as before, never given a form to send again.
    forged, body = slow_edge.request(
        "POST",
        ARTICLE + "posts/",
        body=urlencode({**form_fields(html), "body": "From elsewhere.", "website": ""}),
        headers={
            **HTTPS,
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": reader,
            "Origin": "https://attacker.example",
            "Referer": "https://attacker.example/",
        },
    )
    assert forged.status == 403 and b"press Post once more" not in body
    assert not re.search(rb"From elsewhere", body)
