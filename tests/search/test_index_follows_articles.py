"""The index changes with the article, in the same transaction, however it is written."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import Client

from knowhow.articles.models import Article
from knowhow.demo.loader import load_demo
from knowhow.search.selectors import search
from tests.people import signed_in


def _found(text: str) -> list[str]:
    results = search(text)
    return [hit.article.title for hit in results.page.object_list] if results.page else []


class Refused(Exception):
    pass


def test_a_write_rolled_back_leaves_the_index_as_it_was(
    make_article: Callable[..., Article],
) -> None:
    article = make_article("Honey", body="Bees make honey from nectar.")
    with pytest.raises(Refused), transaction.atomic():
        article.title = "Beeswax"
        article.body = "Wax comes from glands."
        article.save()
        assert _found("glands") == ["Beeswax"]
        raise Refused
    assert _found("glands") == []
    assert _found("nectar") == ["Honey"]


def test_a_deletion_rolled_back_keeps_the_entry(make_article: Callable[..., Article]) -> None:
    article = make_article("Honey", body="Bees make honey from nectar.")
    with pytest.raises(Refused), transaction.atomic():
        article.delete()
        raise Refused
    assert _found("nectar") == ["Honey"]


def test_an_edit_replaces_the_old_words(make_article: Callable[..., Article]) -> None:
    article = make_article("Honey", body="Bees make honey from nectar.")
    article.body = "Bees make honey from pollen."
    article.save()
    assert _found("nectar") == [] and _found("pollen") == ["Honey"]


def test_unpublished_and_deleted_articles_leave_the_index(
    make_article: Callable[..., Article],
) -> None:
    article = make_article("Honey", body="Bees make honey from nectar.")
    article.status = Article.Status.DRAFT
    article.save()
    assert _found("nectar") == []
    article.status = Article.Status.PUBLISHED
    article.save()
    assert _found("nectar") == ["Honey"]
    article.delete()
    assert _found("nectar") == []


def test_an_article_saved_in_the_admin_is_found(
    client: Client, make_article: Callable[..., Article]
) -> None:
    from django.contrib.auth.models import User

    article = make_article("Honey", body="Bees make honey from nectar.")
    staff = User.objects.create_superuser("chief", "chief@example.org", "pw")
    data = {
        "title": "Honey",
        "slug": article.slug,
        "topic": article.topic_id,
        "written_by": article.written_by_id,
        "edited_by": article.edited_by_id,
        "copyright_holder": "",
        "body": "Bees make honey from clover.",
        "status": "published",
        "stage": "done",
        "published_at_0": "2024-01-01",
        "published_at_1": "12:00:00",
        "last_modified": "2024-01-01",
    }
    response = signed_in(staff, client).post(f"/admin/articles/article/{article.pk}/change/", data)
    assert response.status_code == 302
    assert _found("clover") == ["Honey"] and _found("nectar") == []


@pytest.mark.django_db
def test_the_demo_articles_are_found() -> None:
    load_demo()
    assert "Why do Muscles Cramp at Night?" in _found("cramp")
