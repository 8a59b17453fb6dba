"""A full disk on SQLite fails the write cleanly: a message, the text kept, nothing half-done.

SQLite's `max_page_count` makes the database full at its present size, as a full disk
would: the next write that needs a page fails with SQLITE_FULL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation.models import ModerationAction
from tests.conftest import form_data
from tests.database_away import options
from tests.pages import visible_text

__all__ = ["options"]  # run plain and with every optional setting on

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite's page limit stands in for a full disk"
)

LONG_TEXT = "My cramps stopped when I drank more water. " * 100  # needs pages of its own


def _no_room(sender: Any = None, connection: Any = None, **kwargs: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA page_count")
        (pages,) = cursor.fetchone()
        cursor.execute(f"PRAGMA max_page_count = {int(pages)}")


@pytest.fixture
def fill_disk(transactional_db: None) -> Iterator[Callable[[], None]]:
    """Call it, and from then on the database cannot grow, on this connection and any
    opened later."""

    def fill() -> None:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")  # no free pages left for a write to reuse
        _no_room(connection=connection)
        connection_created.connect(_no_room)

    try:
        yield fill
    finally:
        connection_created.disconnect(_no_room)
        connection.close()  # the limit goes with the connection


def test_a_post_on_a_full_disk_is_refused_with_the_text_kept(
    article: Article, fill_disk: Callable[[], None]
) -> None:
    post_comment(article=article, body="The first post, stored before the disk filled.")
    fill_disk()
    answer = Client().post(f"{article.get_absolute_url()}posts/", form_data(article, LONG_TEXT))
    assert answer.status_code == 503
    assert answer["Retry-After"]
    text = visible_text(answer.content)
    assert "The site cannot save posts right now" in text and "Your text is kept" in text
    assert LONG_TEXT.strip() in answer.content.decode()  # in the form, ready to send again
    # Nothing half-written: no post, and the thread's counter did not move.
    article.refresh_from_db()
    assert article.last_post_number == 1
    assert list(Post.objects.values_list("number", flat=True)) == [1]


def test_a_held_post_on_a_full_disk_leaves_no_log_entry(
    article: Article, fill_disk: Callable[[], None], settings: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True  # a stored post would be held and logged
    fill_disk()
    answer = Client().post(f"{article.get_absolute_url()}posts/", form_data(article, LONG_TEXT))
    assert answer.status_code == 503
    assert not Post.objects.exists()
    assert not ModerationAction.objects.exists()
    article.refresh_from_db()
    assert article.last_post_number == 0


def test_the_site_keeps_serving_reads_on_a_full_disk(
    article: Article, fill_disk: Callable[[], None]
) -> None:
    post_comment(article=article, body="Stored before the disk filled.")
    fill_disk()
    client = Client()
    client.post(f"{article.get_absolute_url()}posts/", form_data(article, LONG_TEXT))
    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Stored before the disk filled." in visible_text(page.content)
    assert client.get("/").status_code == 200


def test_the_same_form_posts_once_there_is_room_again(
    article: Article, fill_disk: Callable[[], None]
) -> None:
    fill_disk()
    client = Client()
    sent = form_data(article, LONG_TEXT)
    assert client.post(f"{article.get_absolute_url()}posts/", sent).status_code == 503
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA max_page_count = 1073741823")
    again = client.post(f"{article.get_absolute_url()}posts/", sent)
    assert again.status_code == 302
    assert Post.objects.get().number == 1


def test_an_edit_on_a_full_disk_keeps_the_text_and_the_post(
    article: Article, fill_disk: Callable[[], None]
) -> None:
    client = Client()
    client.post(f"{article.get_absolute_url()}posts/", form_data(article, "My first words."))
    fill_disk()
    answer = client.post(f"{article.get_absolute_url()}posts/1/edit/", {"body": LONG_TEXT})
    assert answer.status_code == 503 and answer["Retry-After"]
    assert LONG_TEXT.strip() in answer.content.decode()  # in a form that sends it again
    assert "send it again" in visible_text(answer.content)
    assert Post.objects.get().body == "My first words."
