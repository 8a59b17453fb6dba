"""An author's own held posts through the API: shown to them, marked held with what the site
tells them beside it on the page, and never to anyone else, however the thread is asked for
(a token, the site's session, the page cache in front)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.models import BlockedTerm
from knowhow.api import schemas
from knowhow.articles.models import Article
from knowhow.discussion import services as posting
from knowhow.discussion.models import Post
from tests import people
from tests.api.conftest import TokenClient
from tests.pagecache.conftest import Clock, Server


def _posts(article: Article) -> str:
    return f"/api/v1/articles/{article.slug}/posts/"


def _held_post(article: Article, author: User) -> Post:
    BlockedTerm.objects.get_or_create(kind="word", value="casino")
    posting.post_comment(article=article, body="Published words", author=author)
    held = posting.post_comment(article=article, body="Cramps near the casino", author=author)
    assert held.status == Post.Status.HELD
    return held


def test_an_author_sees_their_held_post_marked_with_what_the_page_tells_them(
    article: Article, reader: User, outsider: User, make_token: Callable[..., str]
) -> None:
    _held_post(article, reader)
    # Anyone asks first: the kept answer has no held post, and the author still gets theirs.
    everyone = TokenClient().get(_posts(article)).json()
    assert [p["number"] for p in everyone["items"]] == [1]
    assert everyone["items"][0]["held"] is False
    assert everyone["items"][0]["held_note"] is None
    author = TokenClient(make_token(reader))
    answer = author.get(_posts(article))
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "private, no-store"
    mine = answer.json()
    schemas.PostList.model_validate(mine)
    assert [(p["number"], p["status"], p["held"]) for p in mine["items"]] == [
        (2, "held", True),
        (1, "published", False),
    ]
    note = mine["items"][0]["held_note"]
    # The very words the article page shows its author beside the post, never the guard's.
    page = people.signed_in(reader).get(article.get_absolute_url())
    assert note in page.content.decode()
    assert "casino" not in note
    one = author.get(_posts(article) + "2/").json()
    assert (one["held"], one["held_note"]) == (True, note)
    # Others never see it: after the author's answer, nor with a token, nor one by one.
    for other in (TokenClient(), TokenClient(make_token(outsider))):
        items = other.get(_posts(article)).json()["items"]
        assert [p["number"] for p in items] == [1]
        assert other.get(_posts(article) + "2/").status_code == 404


def test_the_site_session_of_the_author_sees_it_and_another_readers_does_not(
    article: Article, reader: User, outsider: User
) -> None:
    _held_post(article, reader)
    theirs = Client()
    theirs.force_login(outsider)
    assert [p["number"] for p in theirs.get(_posts(article)).json()["items"]] == [1]
    mine = Client()
    mine.force_login(reader)
    assert [p["held"] for p in mine.get(_posts(article)).json()["items"]] == [True, False]


def test_an_anonymous_author_sees_it_in_the_browser_that_posted_it_only(
    article: Article,
) -> None:
    BlockedTerm.objects.create(kind="word", value="casino")
    browser = Client()
    sent = browser.post(_posts(article), {"body": "Cramps near the casino"},
                        content_type="application/json")  # fmt: skip
    assert sent.status_code == 201
    assert sent.json()["held"] is True
    assert [p["held"] for p in browser.get(_posts(article)).json()["items"]] == [True]
    assert Client().get(_posts(article)).json()["items"] == []


@pytest.fixture
def make_server(transactional_db: None) -> Callable[[], Server]:
    clock = Clock()
    return lambda: Server(clock)


def test_the_page_cache_never_gives_a_readers_kept_thread_to_an_author_with_a_held_post(
    make_server: Callable[[], Server], article: Article
) -> None:
    server = make_server()
    reader, outsider = people.make_reader(), people.make_outsider()
    _held_post(article, reader)
    others = {"sessionid": people.session_of(outsider)}
    assert server.request(_posts(article), cookies=others).cache == "MISS"
    kept = server.request(_posts(article), cookies=others)
    assert kept.cache == "HIT"
    assert "casino" not in kept.text
    author = server.request(_posts(article), cookies={"sessionid": people.session_of(reader)})
    assert author.status == 200
    assert author.cache != "HIT"
    assert "Cramps near the casino" in author.text
    assert "private" in author.headers["cache-control"]
    again = server.request(_posts(article), cookies=others)
    assert "casino" not in again.text
    assert "casino" not in server.request(_posts(article)).text
