"""A published article's public page, kept by the page cache, is never stale after the
newsroom's pages publish, unpublish, or restore and publish it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people
from tests.pagecache.conftest import Clock, Server

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server() -> Server:
    return Server(Clock())


@pytest.fixture
def live(writer_account: User, editor_account: User, topic: Topic) -> Article:
    article = workflow.create_article(
        by=writer_account, title="What is a Stitch?", topic=topic, body="First words."
    )
    workflow.publish(article=article, by=editor_account)
    return article


def _kept(server: Server, path: str) -> str:
    """The page as an anonymous reader gets it, once it is kept in the cache."""
    server.request(path)
    page = server.request(path)
    assert page.status == 200 and page.cache == "HIT"
    return page.text


def _edit(client: Client, article: Article, body: str) -> None:
    article.refresh_from_db()
    assert article.latest_revision is not None
    content = article.latest_revision.content
    response = client.post(
        f"/newsroom/articles/{article.pk}/edit/",
        {
            "title": content["title"],
            "topic": content["topic"],
            "body": body,
            "base": article.latest_revision.number,
            "do": "save",
        },  # fmt: skip
    )
    assert response.status_code == 302


def test_publishing_an_edit_shows_at_once(
    server: Server, live: Article, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    path = live.get_absolute_url()
    assert "First words." in _kept(server, path)
    _edit(editor, live, "Second words.")
    assert "First words." in server.request(path).text  # saved, not yet published
    assert editor.post(f"/newsroom/articles/{live.pk}/do/publish/").status_code == 302
    after = server.request(path)
    assert "Second words." in after.text and "First words." not in after.text


def test_unpublishing_takes_the_kept_page_down_at_once(
    server: Server, live: Article, editor_account: User
) -> None:
    path = live.get_absolute_url()
    _kept(server, path)
    response = people.signed_in(editor_account).post(f"/newsroom/articles/{live.pk}/do/unpublish/")
    assert response.status_code == 302
    assert server.request(path).status == 404
    assert live.title not in server.request("/articles/").text


def test_restoring_and_publishing_shows_the_old_text_at_once(
    server: Server, live: Article, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    path = live.get_absolute_url()
    _edit(editor, live, "A mistake.")
    editor.post(f"/newsroom/articles/{live.pk}/do/publish/")
    assert "A mistake." in _kept(server, path)
    assert editor.post(f"/newsroom/articles/{live.pk}/history/1/restore/").status_code == 302
    assert editor.post(f"/newsroom/articles/{live.pk}/do/publish/").status_code == 302
    after = server.request(path)
    assert "First words." in after.text and "A mistake." not in after.text
