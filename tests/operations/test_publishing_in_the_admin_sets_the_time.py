"""Publishing an article in the admin with "Published at" left empty publishes it now:
the article answers, and the lists show it, instead of a "Published" article that 404s."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article, Person, Topic


@pytest.fixture
def staff_client(client: Client, db: None) -> Client:
    client.force_login(User.objects.create_superuser("chief", "chief@example.org", "pw-chief-1"))
    return client


def _admin_form(topic: Topic, writer: Person, **fields: Any) -> dict[str, Any]:
    return {
        "title": "Why Do Knees Click?",
        "slug": "why-do-knees-click",
        "topic": topic.pk,
        "written_by": writer.pk,
        "edited_by": "",
        "copyright_holder": "",
        "body": "Small gas bubbles in the joint fluid pop as the joint moves.",
        "status": "published",
        "published_at_0": "",
        "published_at_1": "",
        "last_modified": "2026-11-20",
        **fields,
    }


def test_publishing_with_no_time_publishes_now(
    staff_client: Client, topic: Topic, writer: Person
) -> None:
    before = timezone.now()
    response = staff_client.post("/admin/articles/article/add/", _admin_form(topic, writer))
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get(slug="why-do-knees-click")
    assert article.published_at is not None and before <= article.published_at <= timezone.now()
    page = staff_client.get(article.get_absolute_url())
    assert page.status_code == 200
    assert "Why Do Knees Click?" in staff_client.get("/").content.decode()


def test_publishing_a_draft_later_in_the_admin_publishes_it_then(
    staff_client: Client, topic: Topic, writer: Person
) -> None:
    staff_client.post("/admin/articles/article/add/", _admin_form(topic, writer, status="draft"))
    article = Article.objects.get(slug="why-do-knees-click")
    assert article.published_at is None
    assert Client().get(article.get_absolute_url()).status_code == 404
    response = staff_client.post(
        f"/admin/articles/article/{article.pk}/change/", _admin_form(topic, writer)
    )
    assert response.status_code == 302
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_a_time_given_is_kept(staff_client: Client, topic: Topic, writer: Person) -> None:
    form = _admin_form(topic, writer, published_at_0="2026-01-05", published_at_1="09:30:00")
    staff_client.post("/admin/articles/article/add/", form)
    published = Article.objects.get(slug="why-do-knees-click").published_at
    assert published is not None
    assert timezone.localtime(published).strftime("%Y-%m-%d %H:%M") == "2026-01-05 09:30"
