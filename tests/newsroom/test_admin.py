"""The Django admin shows articles but no longer changes what the workflow owns: text,
topic, review, image, status and stage are read-only there; administrators still delete."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from knowhow.articles.models import Article, Person
from tests import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def chief(db: None) -> User:
    return User.objects.create_superuser("chief", "chief@example.org", people.PASSWORD)


def test_the_admin_cannot_change_an_articles_text_or_status(
    chief: User, make_article: Callable[..., Article]
) -> None:
    article = make_article("Honey", body="Bees make honey from nectar.")
    client = people.signed_in(chief)
    page = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert 'name="body"' not in page and 'name="status"' not in page
    assert 'name="stage"' not in page and 'name="last_modified"' not in page
    assert f'href="/newsroom/articles/{article.pk}/edit/">Edit in the newsroom</a>' in page
    client.post(
        f"/admin/articles/article/{article.pk}/change/",
        {
            "slug": article.slug,
            "written_by": article.written_by_id,
            "body": "Changed behind the newsroom's back.",
            "status": "draft",
        },  # fmt: skip
    )
    article.refresh_from_db()
    assert article.body == "Bees make honey from nectar." and article.status == "published"


def test_the_admin_starts_no_articles(chief: User) -> None:
    assert people.signed_in(chief).get("/admin/articles/article/add/").status_code == 403


def test_an_administrator_may_still_delete(
    chief: User, make_article: Callable[..., Article]
) -> None:
    article = make_article("Honey")
    response = people.signed_in(chief).post(
        f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not Article.objects.filter(pk=article.pk).exists()


def test_not_even_a_superuser_changes_a_published_articles_writer_in_the_admin(
    chief: User, make_article: Callable[..., Article]
) -> None:
    article = make_article("Honey")
    people.make_staff_writer("walt", "Walt Other")
    response = people.signed_in(chief).post(
        f"/admin/articles/article/{article.pk}/change/",
        {"slug": "moved", "written_by": Person.objects.get(name="Walt Other").pk},
    )
    assert response.status_code == 403
    article.refresh_from_db()
    assert (article.written_by.name, article.slug) == ("Wendy Writer", "honey")
