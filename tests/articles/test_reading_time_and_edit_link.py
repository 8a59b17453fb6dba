"""The article page tells readers how long it takes to read, and offers staff who may edit
the article a way to the editor; readers and visitors never see that link, even from a
page kept in the cache after staff read it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from knowhow.articles.models import Article
from knowhow.articles.reading_time import WORDS_PER_MINUTE, minutes_for
from tests.pagecache.conftest import Clock, Server
from tests.people import make_staff_writer, session_of

EDIT = "Edit this article"


def test_the_page_says_how_long_the_body_takes_to_read(
    client: object, make_article: Callable[..., Article]
) -> None:
    article = make_article(body="word " * (WORDS_PER_MINUTE * 5 + 1))
    page = client.get(article.get_absolute_url()).text  # type: ignore[attr-defined]
    assert "6 min read" in page
    assert minutes_for(1) == 1 and minutes_for(WORDS_PER_MINUTE) == 1


@pytest.mark.django_db(transaction=True)
def test_staff_who_may_edit_see_the_link_and_readers_never(
    make_article: Callable[..., Article], reader: User, outsider: User
) -> None:
    writer = make_staff_writer()  # writes as Wendy Writer, the article's "Written By"
    article = make_article()
    path = article.get_absolute_url()
    server = Server(Clock())
    page = server.request(path, cookies={"sessionid": session_of(writer)})
    assert EDIT in page.text and f'href="/newsroom/articles/{article.pk}/edit/"' in page.text
    assert "no-store" in page.headers["cache-control"]
    server.request(path)  # a visitor's page, kept from now on
    for cookies in ({}, {"sessionid": session_of(reader)}, {"sessionid": session_of(outsider)}):
        assert EDIT not in server.request(path, cookies=cookies).text
    assert server.request(path).cache == "HIT"
    other = make_staff_writer("olga", "Olga Other")  # a writer, but not of this article
    assert EDIT not in server.request(path, cookies={"sessionid": session_of(other)}).text
