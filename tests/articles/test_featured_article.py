"""Editors choose the article the home page features; nobody else can, and only a published
article can be featured."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.articles import services
from knowhow.articles.models import Article
from knowhow.articles.selectors import featured_article
from tests.people import signed_in

pytestmark = pytest.mark.django_db


def test_the_last_article_an_editor_featured_is_shown(
    make_article: Callable[..., Article], editor_account: User
) -> None:
    first, second = make_article("What is a Stitch?"), make_article("What is a Knot?")
    assert featured_article() is None
    services.feature_article(article=first, by=editor_account)
    services.feature_article(article=second, by=editor_account)
    assert featured_article() == second
    services.feature_article(article=second, by=editor_account, featured=False)
    assert featured_article() == first


def test_writers_readers_and_outsiders_cannot_feature(
    make_article: Callable[..., Article], writer_account: User, reader: User, outsider: User
) -> None:
    article = make_article()
    for person in (writer_account, reader, outsider, None):
        with pytest.raises(services.NotAllowed) as refused:
            services.feature_article(article=article, by=person)
        assert refused.value.code == "editor"
    assert featured_article() is None


def test_a_draft_cannot_be_featured_and_an_unpublished_one_leaves_the_home_page(
    make_article: Callable[..., Article], editor_account: User
) -> None:
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    with pytest.raises(services.NotAllowed) as refused:
        services.feature_article(article=draft, by=editor_account)
    assert refused.value.code == "unpublished"
    later = make_article("What is a Knot?", published_at=timezone.now() + dt.timedelta(days=1))
    Article.objects.filter(pk=later.pk).update(featured_at=timezone.now())
    assert featured_article() is None  # not yet live: not shown


def test_the_home_page_shows_the_featured_article_first_and_not_twice(
    make_article: Callable[..., Article], editor_account: User, client: Client
) -> None:
    chosen = make_article("What is a Stitch?")
    make_article("What is a Knot?")
    services.feature_article(article=chosen, by=editor_account)
    page = client.get("/").content.decode()
    assert page.index("What is a Stitch?") < page.index("What is a Knot?")
    assert page.count(f'href="{chosen.get_absolute_url()}"') == 1


def test_editors_feature_from_the_admin_and_writers_are_refused(
    make_article: Callable[..., Article], editor_account: User, writer_account: User
) -> None:
    article = make_article()
    editor_account.is_staff = writer_account.is_staff = True
    editor_account.save()
    writer_account.save()
    data = {"action": "feature_on_home", "_selected_action": [article.pk]}
    writer = signed_in(writer_account)
    writer.post("/admin/articles/article/", data)
    assert featured_article() is None
    editor = signed_in(editor_account)
    answer = editor.post("/admin/articles/article/", data, follow=True)
    assert answer.status_code == 200
    assert featured_article() == article
    assert "now featured on the home page" in answer.content.decode()
