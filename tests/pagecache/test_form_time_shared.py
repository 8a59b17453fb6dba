"""The form's time in a kept page is one signed value for every answer of a quarter second
(one signature per window, not one per answer), signed as shown at the end of that window:
the minimum time before posting never counts from before a reader's visit, and each
visitor's form still makes its own post."""

from __future__ import annotations

import html
import re
import time
from typing import Any

from knowhow.articles.models import Article
from knowhow.discussion.forms import PostForm, read_token
from knowhow.discussion.models import Post
from knowhow.pagecache.holes import SHARE_SECONDS, shared_value
from tests.pagecache.conftest import Server

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ISSUED = re.compile(r'name="issued" value="([^"]+)"')
ORIGIN = {"Referer": "http://127.0.0.1:8000/", "Origin": "http://127.0.0.1:8000"}


def _issued(text: str) -> str:
    return html.unescape(ISSUED.search(text).group(1))  # type: ignore[union-attr]


def _secret(cookie_header: str) -> str:
    return cookie_header.split(";")[0].split("=", 1)[1]


def test_a_windows_answers_share_a_value_signed_as_shown_at_its_end() -> None:
    start = 1_800_000_000.0  # a window's first moment
    first = shared_value("issued", "7", start + 0.01)
    assert shared_value("issued", "7", start + SHARE_SECONDS - 0.001) == first
    assert shared_value("issued", "8", start + 0.01) != first  # another article's form
    assert shared_value("issued", "7", start + SHARE_SECONDS) != first  # the next window
    shown = float(first.decode().split(":")[1])
    assert shown == start + SHARE_SECONDS
    # Whenever in the window a reader got it, it was not shown before their visit.
    for visit in (start, start + 0.01, start + SHARE_SECONDS / 2, start + SHARE_SECONDS - 1e-6):
        token = read_token(first.decode(), 7, now=visit + 3 - 0.01)
        assert token is not None and token.age < 3


def test_a_post_sent_just_under_the_minimum_after_the_visit_is_refused(
    server: Server, article: Article, settings: Any
) -> None:
    settings.MIN_SUBMIT_SECONDS = 1
    url = article.get_absolute_url()
    server.request(url)  # kept from now on
    # The window's value made early in it, the visit late in it: a value signed when it
    # was made would count from 0.2 s before this visit.
    time.sleep(SHARE_SECONDS - time.time() % SHARE_SECONDS + 0.01)
    server.request(url)
    time.sleep(0.2)
    visited = time.time()
    page = server.request(url)
    assert page.cache == "HIT"
    data = {
        "csrfmiddlewaretoken": TOKEN.search(page.text).group(1),  # type: ignore[union-attr]
        "issued": _issued(page.text),
        "body": "Sent a little too soon after opening the page.",
    }
    cookies = {"csrftoken": _secret(page.cookies[0])}
    time.sleep(max(0.0, visited + 0.85 - time.time()))
    sent = server.request(f"{url}posts/", "POST", cookies=cookies, headers=ORIGIN, data=data)
    assert sent.status == 400 and "retry-after" in sent.headers  # too fast: wait
    assert not Post.objects.filter(body=data["body"]).exists()
    # The same form, once the minimum has passed, posts.
    time.sleep(max(0.0, visited + SHARE_SECONDS + 1.05 - time.time()))
    sent = server.request(f"{url}posts/", "POST", cookies=cookies, headers=ORIGIN, data=data)
    assert sent.status == 302, sent.text
    assert Post.objects.filter(body=data["body"]).count() == 1


def test_visitors_sharing_a_value_each_get_a_form_of_their_own(
    server: Server, article: Article
) -> None:
    server.request(article.get_absolute_url())
    time.sleep(SHARE_SECONDS - time.time() % SHARE_SECONDS + 0.01)  # at a window's start
    answers = [server.request(article.get_absolute_url()) for _ in range(2)]
    values = {_issued(answer.text) for answer in answers}
    forms = [
        PostForm(
            {"body": "Stretching helped me.", "issued": _issued(answer.text)},
            article_id=article.pk,
            visitor=_secret(answer.cookies[0]),
        )
        for answer in answers
    ]
    assert all(form.is_valid() for form in forms), [form.errors for form in forms]
    assert len(values) == 1  # one signature for both answers
    assert len({form.cleaned_data["form_nonce"] for form in forms}) == 2
