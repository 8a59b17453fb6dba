"""The admin's article pages are no way round the newsroom's rules: a writer neither sees
another writer's draft there, and nobody changes an article's byline or address there
(the editor page's logged steps do)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from knowhow.articles import roles
from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Topic
from tests import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def others_draft(topic: Topic) -> Article:
    other = people.make_staff_writer("walt", "Walt Other")
    return workflow.create_article(by=other, title="Walt's Secret Draft", topic=topic, body="W.")


def _change_form(article: Article, person: Person, slug: str) -> dict[str, object]:
    return {"written_by": person.pk, "slug": slug, "_save": "Save"}


def test_a_writer_cannot_read_another_writers_draft_in_the_admin(
    others_draft: Article, writer_account: User
) -> None:
    writer = people.signed_in(writer_account)
    listing = writer.get("/admin/articles/article/").content.decode()
    assert "Walt&#x27;s Secret Draft" not in listing and "Walt's Secret Draft" not in listing
    page = writer.get(f"/admin/articles/article/{others_draft.pk}/change/", follow=True)
    assert "Secret Draft" not in page.content.decode()


def test_a_writer_cannot_take_an_article_over_in_the_admin(
    others_draft: Article, writer_account: User, writer: Person
) -> None:
    client = people.signed_in(writer_account)
    client.post(
        f"/admin/articles/article/{others_draft.pk}/change/",
        _change_form(others_draft, writer, "taken-over"),
    )
    mine = workflow.create_article(by=writer_account, title="Mine", topic=others_draft.topic)
    walt = Person.objects.get(name="Walt Other")
    client.post(f"/admin/articles/article/{mine.pk}/change/", _change_form(mine, walt, "moved"))
    others_draft.refresh_from_db()
    mine.refresh_from_db()
    assert (others_draft.written_by.name, others_draft.slug) == ("Walt Other", "walts-secret-draft")
    assert (mine.written_by_id, mine.slug) == (writer.pk, "mine")
    assert not roles.may_edit(writer_account, others_draft)


def test_not_even_an_editor_moves_a_byline_or_address_around_the_log(
    others_draft: Article, editor_account: User, writer: Person
) -> None:
    client = people.signed_in(editor_account)
    page = client.get(f"/admin/articles/article/{others_draft.pk}/change/").content.decode()
    assert 'name="written_by"' not in page and 'name="slug"' not in page
    assert "Edit in the newsroom" in page
    response = client.post(
        f"/admin/articles/article/{others_draft.pk}/change/",
        _change_form(others_draft, writer, "moved-by-the-admin"),
    )
    assert response.status_code == 403
    others_draft.refresh_from_db()
    assert (others_draft.written_by.name, others_draft.slug) == ("Walt Other", "walts-secret-draft")
