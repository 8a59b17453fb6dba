"""Two people edit one article from the same revision: the second save is refused with
what changed meanwhile, their text stays in the form, and nothing is overwritten."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people
from tests.newsroom.test_editor_pages import _fields
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account,
        title="What is a Shin Splint?",
        topic=topic,
        body="Pain along the shin after running.",
    )


def test_the_second_of_two_saves_from_one_revision_is_refused_with_a_diff(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    writer, editor = people.signed_in(writer_account), people.signed_in(editor_account)
    # Both open the editor at revision 1.
    for browser in (writer, editor):
        assert (
            'name="base" value="1"'
            in browser.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()
        )
    editors_form = _fields(draft, body="Pain along the shin after hard running.")
    writers_form = _fields(draft, body="Pain along the inner shin after running.", note="Where.")
    assert editor.post(f"/newsroom/articles/{draft.pk}/edit/", editors_form).status_code == 302

    refused = writer.post(f"/newsroom/articles/{draft.pk}/edit/", writers_form)
    assert refused.status_code == 409
    html = refused.content.decode()
    text = visible_text(html)
    assert "Someone saved revision 2 of this article after you opened revision 1." in text
    # What the editor changed, word by word, and the writer's own text still in the form.
    assert '<ins><span class="visually-hidden">[added: </span>hard ' in html
    assert "Pain along the inner shin after running.</textarea>" in html
    assert 'name="note" value="Where."' in html
    # The form now starts from the newest revision, so a merged save goes through.
    assert 'name="base" value="2"' in html
    draft.refresh_from_db()
    assert draft.body == "Pain along the shin after hard running."
    assert draft.revisions.count() == 2

    merged = _fields(draft, body="Pain along the inner shin after hard running.")
    assert merged["base"] == 2
    assert writer.post(f"/newsroom/articles/{draft.pk}/edit/", merged).status_code == 302
    draft.refresh_from_db()
    assert draft.body == "Pain along the inner shin after hard running."
    assert draft.revisions.count() == 3


def test_a_stale_diff_names_the_topic_chosen_not_its_number(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    sport = Topic.objects.create(name="Sport", slug="sport")
    writers_form = _fields(draft, body="Mine.")
    people.signed_in(editor_account).post(
        f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, topic=sport.pk)
    )
    refused = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/", writers_form
    )
    text = visible_text(refused.content)
    assert "Topic [removed: Health] [added: Sport]" in text
