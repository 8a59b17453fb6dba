"""Bodies larger than the site takes are refused by their declared length, unread."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles.models import Article
from tests.pages import visible_text


def declare(client: Client, path: str, length: int) -> Any:
    # The body sent is small; the length declared is what a client would stream.
    return client.generic(
        "POST",
        path,
        b"body=hello",
        content_type="application/x-www-form-urlencoded",
        CONTENT_LENGTH=str(length),
    )


def test_a_body_over_the_cap_gets_413_with_a_reason(article: Article, settings: Any) -> None:
    settings.REQUEST_MAX_BYTES = 64 * 1024
    answer = Client().post(f"{article.get_absolute_url()}posts/", {"body": "x" * 70_000})
    assert answer.status_code == 413
    assert "larger than the site accepts" in visible_text(answer.content)
    # Far over the limit: not even dropped, the connection is closed.
    huge = declare(Client(), f"{article.get_absolute_url()}posts/", 10 * 64 * 1024)
    assert huge.status_code == 413 and huge["Connection"] == "close"


def test_a_body_at_the_cap_is_read_as_usual(article: Article, settings: Any) -> None:
    settings.REQUEST_MAX_BYTES = 64 * 1024
    answer = Client().post(f"{article.get_absolute_url()}posts/", {"body": "x" * 60_000})
    assert answer.status_code != 413


def test_the_newsroom_upload_takes_a_picture_on_top_of_the_cap(
    editor_account: User, settings: Any
) -> None:
    settings.REQUEST_MAX_BYTES = 64 * 1024
    settings.IMAGE_MAX_BYTES = 1024 * 1024
    client = Client()
    client.force_login(editor_account)
    taken = client.post("/newsroom/articles/new/", {"title": "x" * (512 * 1024)})
    assert taken.status_code == 400  # the editor's form, refused for its own reasons
    assert "larger than the site accepts" not in visible_text(taken.content)
    assert declare(client, "/newsroom/articles/new/", 8 * 1024 * 1024).status_code == 413
    # Other newsroom addresses take no picture, so no more than the cap.
    assert declare(client, "/ask/", 512 * 1024).status_code == 413
