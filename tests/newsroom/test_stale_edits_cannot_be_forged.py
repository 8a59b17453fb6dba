"""The editor form's `base` (the revision it was opened at) cannot be forged past the
stale-edit check: a higher, lower, negative or non-number base, a form replayed after a
restore, and a restore naming a revision number of another article all save nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Revision, Topic
from tests import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    article = workflow.create_article(
        by=writer_account, title="What is a Stitch?", topic=topic, body="One."
    )
    workflow.save_revision(article=article, by=writer_account, content={"body": "Two."}, base=1)
    return article


def _form(topic: Topic, base: object) -> dict[str, object]:
    return {"title": "What is a Stitch?", "topic": topic.pk, "body": "Forged.", "base": base}


@pytest.mark.parametrize("base", ["1", "3", "99", "-2", "two", "", "2.5", "0"])
def test_a_forged_base_saves_nothing(
    draft: Article, writer_account: User, topic: Topic, base: str
) -> None:
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/", _form(topic, base)
    )
    assert response.status_code in (400, 409)
    assert "Forged." in response.content.decode()  # the typed text comes back
    assert Revision.objects.filter(article=draft).count() == 2


def test_a_form_replayed_after_a_restore_is_refused(
    draft: Article, writer_account: User, topic: Topic
) -> None:
    writer = people.signed_in(writer_account)
    assert writer.post(f"/newsroom/articles/{draft.pk}/history/1/restore/").status_code == 302
    response = writer.post(f"/newsroom/articles/{draft.pk}/edit/", _form(topic, 2))
    assert response.status_code == 409
    draft.refresh_from_db()
    assert draft.body == "One."


def test_a_restore_of_another_articles_revision_number_is_refused(
    draft: Article, writer_account: User, topic: Topic
) -> None:
    other = workflow.create_article(by=writer_account, title="Other", topic=topic, body="Other.")
    for n in range(3):
        workflow.save_revision(
            article=other, by=writer_account, content={"body": f"Other {n}."}, base=n + 1
        )
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/history/4/restore/", follow=True
    )
    assert "This article has no revision 4." in response.content.decode()
    draft.refresh_from_db()
    assert draft.body == "Two." and Revision.objects.filter(article=draft).count() == 2


def test_a_review_date_in_the_future_is_refused_in_the_editor_with_the_text_kept(
    draft: Article, editor_account: User, topic: Topic
) -> None:
    from knowhow.articles.models import Person

    doctor = Person.objects.create(name="Dr Vera Checker", slug="vera")
    response = people.signed_in(editor_account).post(
        f"/newsroom/articles/{draft.pk}/edit/",
        {**_form(topic, 2), "reviewed_by": doctor.name, "reviewed_on": "2999-01-01"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "A review date cannot be in the future" in html and "Forged." in html
    draft.refresh_from_db()
    assert draft.review is None and Revision.objects.filter(article=draft).count() == 2
