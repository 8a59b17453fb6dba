"""The index changes with the article, in the same transaction, however it is written."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import transaction

from knowhow.articles.models import Article
from knowhow.articles.services import record_import
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


def test_an_article_edited_on_the_editor_page_is_found(
    make_article: Callable[..., Article], editor_account: User
) -> None:
    article = make_article("Honey", body="Bees make honey from nectar.")
    revision = record_import(article)
    assert revision is not None
    editor = signed_in(editor_account)
    data = {
        "title": "Honey",
        "topic": article.topic_id,
        "body": "Bees make honey from clover.",
        "base": revision.number,
        "do": "save",
    }
    assert editor.post(f"/newsroom/articles/{article.pk}/edit/", data).status_code == 302
    # Saved but not yet published: readers, and so search, still see the live text.
    assert _found("nectar") == ["Honey"] and _found("clover") == []
    assert editor.post(f"/newsroom/articles/{article.pk}/do/publish/").status_code == 302
    assert _found("clover") == ["Honey"] and _found("nectar") == []


@pytest.mark.django_db
def test_the_demo_articles_are_found() -> None:
    load_demo()
    assert "Why do Muscles Cramp at Night?" in _found("cramp")
