"""An editor publishes or approves exactly the revision their page showed: a save that came
in between (a writer's, another editor's) is never published under their name, and the
dates readers see tell when the article really went live."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="What is a Side Stitch?", topic=topic, body="Words read."
    )


def _shown_revision(client: Client, article: Article, action: str) -> str:
    """The revision number the page sends with its workflow steps."""
    html = client.get(f"/newsroom/articles/{article.pk}/edit/").content.decode()
    assert f'value="step:{action}"' in html, f"the page offers {action}"
    # The steps are buttons of the editor form, which names the revision it shows.
    found = re.search(r'name="base" value="(\d+)"', html)
    assert found, "the step's form names the revision shown"
    return found.group(1)


def _save(by: User, article: Article, body: str) -> None:
    article.refresh_from_db()
    assert article.latest_revision is not None
    workflow.save_revision(
        article=article, by=by, content={"body": body}, base=article.latest_revision.number
    )


def test_a_writers_save_after_the_editor_opened_the_page_is_not_published(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    shown = _shown_revision(editor, draft, "publish")
    _save(writer_account, draft, "Words nobody at the desk has read.")
    response = editor.post(f"/newsroom/articles/{draft.pk}/do/publish/", {"revision": shown})
    assert response.status_code == 400
    assert "Revision 2 was saved after you opened revision 1" in visible_text(
        response.content.decode()
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_a_save_after_approval_drops_it_and_the_approving_page_cannot_publish(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    workflow.submit_for_review(article=draft, by=writer_account)
    editor = people.signed_in(editor_account)
    shown = _shown_revision(editor, draft, "approve")
    assert (
        editor.post(f"/newsroom/articles/{draft.pk}/do/approve/", {"revision": shown}).status_code
        == 302
    )
    other = people.make_staff_editor("edna", "Edna Other")
    _save(other, draft, "A second editor's words, never approved.")
    draft.refresh_from_db()
    assert draft.stage == Article.Stage.WRITING  # the approval went with the save
    response = editor.post(f"/newsroom/articles/{draft.pk}/do/publish/", {"revision": shown})
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.live_revision is None


def test_approving_a_revision_the_page_did_not_show_is_refused(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    workflow.submit_for_review(article=draft, by=writer_account)
    with pytest.raises(workflow.NotAllowed):
        workflow.approve(article=draft, by=editor_account, revision=7)
    draft.refresh_from_db()
    assert draft.stage == Article.Stage.IN_REVIEW
    response = editor.post(f"/newsroom/articles/{draft.pk}/do/approve/", {"revision": "-1"})
    assert response.status_code == 400
    assert "damaged page" in visible_text(response.content.decode())


def test_the_page_publishes_what_it_showed(draft: Article, editor_account: User) -> None:
    editor = people.signed_in(editor_account)
    shown = _shown_revision(editor, draft, "publish")
    assert (
        editor.post(f"/newsroom/articles/{draft.pk}/do/publish/", {"revision": shown}).status_code
        == 302
    )
    draft.refresh_from_db()
    assert draft.live_revision is not None and str(draft.live_revision.number) == shown
    assert "Words read." in visible_text(Client().get(draft.get_absolute_url()).content.decode())


def test_publishing_a_scheduled_article_early_dates_it_now(
    draft: Article, editor_account: User
) -> None:
    next_week = timezone.now() + dt.timedelta(days=7)
    workflow.publish(article=draft, by=editor_account, at=next_week)
    workflow.publish(article=draft, by=editor_account)
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at is not None and draft.published_at <= timezone.now()
    assert Client().get(draft.get_absolute_url()).status_code == 200


def test_a_publication_time_without_a_time_zone_is_refused(
    draft: Article, editor_account: User
) -> None:
    naive = dt.datetime.now() + dt.timedelta(days=2)  # noqa: DTZ005 - the point of the test
    with pytest.raises(workflow.NotAllowed, match="time zone"):
        workflow.publish(article=draft, by=editor_account, at=naive)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_republishing_unchanged_words_after_an_unpublish_keeps_the_last_modified_date(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False) as clock:
        workflow.publish(article=draft, by=editor_account)
        clock.move_to(dt.datetime(2026, 3, 9, 12, tzinfo=dt.UTC))
        workflow.unpublish(article=draft, by=editor_account)
        workflow.publish(article=draft, by=editor_account)
        draft.refresh_from_db()
        assert draft.last_modified == dt.date(2026, 3, 2)  # the words are those of 2 March
        clock.move_to(dt.datetime(2026, 3, 16, 12, tzinfo=dt.UTC))
        workflow.unpublish(article=draft, by=editor_account)
        _save(writer_account, draft, "New words while it was off the site.")
        workflow.publish(article=draft, by=editor_account)
        draft.refresh_from_db()
        assert draft.last_modified == dt.date(2026, 3, 16)
        page = Client().get(draft.get_absolute_url()).content.decode()
        assert "New words while it was off the site." in visible_text(page)


@pytest.mark.parametrize("at", ["2020-01-01T10:00", "yesterday", "2026-13-45T99:99", ""])
def test_scheduling_in_the_past_or_at_no_real_time_is_refused(
    draft: Article, editor_account: User, at: str
) -> None:
    response = people.signed_in(editor_account).post(
        f"/newsroom/articles/{draft.pk}/do/schedule/", {"at": at, "revision": "1"}
    )
    assert response.status_code == 400
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.published_at is None


def test_a_scheduled_article_edited_afterwards_does_not_go_out_unapproved(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    soon = timezone.now() + dt.timedelta(hours=1)
    workflow.publish(article=draft, by=editor_account, at=soon)
    _save(writer_account, draft, "Words written after the schedule was set.")
    assert workflow.publish_due(now=soon + dt.timedelta(minutes=1)) == 0
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.live_revision is None
    assert Client().get(draft.get_absolute_url()).status_code == 404


def test_unpublishing_a_scheduled_article_keeps_it_from_going_out(
    draft: Article, editor_account: User
) -> None:
    soon = timezone.now() + dt.timedelta(hours=1)
    workflow.publish(article=draft, by=editor_account, at=soon)
    workflow.unpublish(article=draft, by=editor_account)
    assert workflow.publish_due(now=soon + dt.timedelta(minutes=1)) == 0
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.published_at is None
