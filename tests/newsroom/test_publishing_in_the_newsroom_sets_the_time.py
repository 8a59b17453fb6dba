"""Publishing an article from the newsroom publishes it now: the article answers, and the
lists show it, never a "Published" article that 404s; a scheduled time is kept as given."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests.people import signed_in


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account,
        title="Why Do Knees Click?",
        topic=topic,
        body="Small gas bubbles in the joint fluid pop as the joint moves.",
    )


def test_publishing_now_publishes_now(draft: Article, editor_account: User) -> None:
    before = timezone.now()
    assert Client().get(draft.get_absolute_url()).status_code == 404
    response = signed_in(editor_account).post(f"/newsroom/articles/{draft.pk}/do/publish/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.published_at is not None and before <= draft.published_at <= timezone.now()
    assert Client().get(draft.get_absolute_url()).status_code == 200
    assert "Why Do Knees Click?" in Client().get("/").content.decode()


def test_a_time_given_is_kept(draft: Article, editor_account: User) -> None:
    signed_in(editor_account).post(
        f"/newsroom/articles/{draft.pk}/do/schedule/", {"at": "2099-01-05T09:30"}
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.SCHEDULED and draft.published_at is not None
    assert timezone.localtime(draft.published_at).strftime("%Y-%m-%d %H:%M") == "2099-01-05 09:30"
    assert Client().get(draft.get_absolute_url()).status_code == 404
