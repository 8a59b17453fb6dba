"""The newsroom's workflow as services: draft, review, publish, schedule, unpublish, and
the people each step refuses."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import AnonymousUser, User
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, ArticleEvent, Topic
from knowhow.articles.services import NotAllowed, StaleEdit
from tests import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="What is a Shin Splint?", topic=topic, body="Pain along the shin."
    )


def _edit(article: Article, by: Any, **content: Any) -> Any:
    article.refresh_from_db()
    assert article.latest_revision is not None
    return workflow.save_revision(
        article=article, by=by, content=content, base=article.latest_revision.number
    )


def test_a_writer_drafts_and_the_public_sees_nothing(draft: Article, client: Client) -> None:
    assert draft.status == Article.Status.DRAFT
    assert draft.written_by.name == "Wendy Writer"
    assert draft.revisions.count() == 1
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_the_whole_way_from_draft_to_published(
    draft: Article, writer_account: User, editor_account: User, client: Client
) -> None:
    _edit(draft, writer_account, body="Pain along the inner edge of the shin bone.")
    workflow.submit_for_review(article=draft, by=writer_account)
    workflow.request_changes(article=draft, by=editor_account, note="Say who gets them.")
    draft.refresh_from_db()
    assert draft.stage == Article.Stage.CHANGES_REQUESTED
    _edit(draft, writer_account, body="Runners often get pain along the shin bone.")
    workflow.submit_for_review(article=draft, by=writer_account)
    workflow.approve(article=draft, by=editor_account)
    workflow.publish(article=draft, by=editor_account)
    draft.refresh_from_db()
    assert draft.is_published and draft.stage == Article.Stage.DONE
    assert draft.edited_by is not None and draft.edited_by.name == "Ed Editor"
    assert draft.last_modified == timezone.localdate()
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Runners often get pain" in page and "Ed Editor" in page
    actions = list(draft.log.order_by("pk").values_list("action", flat=True))
    assert actions == [
        "created", "saved", "submitted", "changes", "saved", "submitted", "approved", "published",
    ]  # fmt: skip


def test_changes_to_a_live_article_wait_for_publishing(
    draft: Article, writer_account: User, editor_account: User, client: Client
) -> None:
    workflow.publish(article=draft, by=editor_account)
    _edit(draft, writer_account, body="A rewrite still being checked.")
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    page = client.get(draft.get_absolute_url()).content.decode()
    assert "Pain along the shin." in page and "still being checked" not in page
    workflow.submit_for_review(article=draft, by=writer_account)
    workflow.publish(article=draft, by=editor_account)
    cache.clear()
    assert "still being checked" in client.get(draft.get_absolute_url()).content.decode()


def test_a_minor_fix_keeps_the_last_modified_date(
    draft: Article, editor_account: User, client: Client
) -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC), tick=False):
        workflow.publish(article=draft, by=editor_account)
    with time_machine.travel(dt.datetime(2026, 5, 9, 12, tzinfo=dt.UTC), tick=False):
        draft.refresh_from_db()
        workflow.save_revision(
            article=draft, by=editor_account, content={"body": "Pain along the shin!"},
            base=draft.latest_revision.number, minor=True,  # type: ignore[union-attr]
        )  # fmt: skip
        workflow.publish(article=draft, by=editor_account)
    draft.refresh_from_db()
    assert draft.last_modified == dt.date(2026, 3, 2)
    assert draft.body == "Pain along the shin!"
    with time_machine.travel(dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC), tick=False):
        _edit(draft, editor_account, body="New advice on rest.")
        workflow.publish(article=draft, by=editor_account)
    draft.refresh_from_db()
    assert draft.last_modified == dt.date(2026, 6, 1)


def test_a_stale_form_is_refused_with_what_changed(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    base = draft.latest_revision.number  # type: ignore[union-attr]
    workflow.save_revision(
        article=draft, by=editor_account, content={"body": "Editor's wording."}, base=base
    )
    with pytest.raises(StaleEdit) as refused:
        workflow.save_revision(
            article=draft, by=writer_account, content={"body": "Writer's wording."}, base=base
        )
    assert "not saved" in str(refused.value)
    theirs = "".join(c.text for d in refused.value.theirs for c in d.changes if c.op == "+")
    yours = "".join(c.text for d in refused.value.yours for c in d.changes if c.op == "+")
    assert "Editor" in theirs and "Writer" in yours
    draft.refresh_from_db()
    assert draft.body == "Editor's wording."


def test_restoring_is_a_new_revision(draft: Article, writer_account: User) -> None:
    _edit(draft, writer_account, body="Second wording.")
    workflow.restore_revision(article=draft, by=writer_account, number=1)
    draft.refresh_from_db()
    assert draft.body == "Pain along the shin."
    assert draft.latest_revision.number == 3  # type: ignore[union-attr]
    assert draft.latest_revision.restored_from == 1  # type: ignore[union-attr]


def test_scheduled_publishing_waits_for_its_time(
    draft: Article,
    editor_account: User,
    client: Client,
    run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    at = dt.datetime(2026, 12, 1, 9, tzinfo=dt.UTC)
    with time_machine.travel(dt.datetime(2026, 11, 30, 9, tzinfo=dt.UTC), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish(article=draft, by=editor_account, at=at)
        draft.refresh_from_db()
        assert draft.status == Article.Status.SCHEDULED
        run_worker()  # the task is not due yet: the article stays scheduled
        draft.refresh_from_db()
        assert draft.status == Article.Status.SCHEDULED
        assert workflow.publish_due(now=timezone.now()) == 0
        assert client.get(draft.get_absolute_url()).status_code == 404
    with time_machine.travel(at + dt.timedelta(minutes=1), tick=False):
        run_worker()
        draft.refresh_from_db()
        assert draft.status == Article.Status.PUBLISHED
        assert draft.published_at == at
        assert client.get(draft.get_absolute_url()).status_code == 200
        assert draft.edited_by is not None and draft.edited_by.name == "Ed Editor"


def test_housekeeping_publishes_a_scheduled_article_whose_task_was_lost(
    draft: Article, editor_account: User
) -> None:
    at = timezone.now() + dt.timedelta(hours=1)
    workflow.publish(article=draft, by=editor_account, at=at)
    assert workflow.publish_due(now=at + dt.timedelta(seconds=1)) == 1
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED


def test_unpublishing_takes_the_page_down_and_keeps_the_history(
    draft: Article, editor_account: User, client: Client
) -> None:
    workflow.publish(article=draft, by=editor_account)
    workflow.unpublish(article=draft, by=editor_account, note="Out of date.")
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.revisions.count() == 1
    assert draft.log.filter(action=ArticleEvent.Action.UNPUBLISHED).exists()


@pytest.mark.parametrize(
    "step", ["approve", "publish", "request_changes", "unpublish"]
)  # fmt: skip
def test_writers_and_outsiders_cannot_take_editors_steps(
    draft: Article, writer_account: User, outsider: User, step: str
) -> None:
    for person in (writer_account, outsider, AnonymousUser(), None):
        with pytest.raises(NotAllowed):
            getattr(workflow, step)(article=draft, by=person, note="x")
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT and draft.stage == Article.Stage.WRITING


def test_a_writer_cannot_edit_another_writers_article(draft: Article, outsider: User) -> None:
    other = people.make_staff_writer("walt", "Walt Writer")
    for person in (other, outsider):
        with pytest.raises(NotAllowed, match="own articles|writers and editors"):
            _edit(draft, person, body="Taken over.")
    draft.refresh_from_db()
    assert draft.body == "Pain along the shin."


def test_a_writer_cannot_edit_while_an_editor_has_it(draft: Article, writer_account: User) -> None:
    workflow.submit_for_review(article=draft, by=writer_account)
    with pytest.raises(NotAllowed, match="an editor has it"):
        _edit(draft, writer_account, body="Sneaked in after review began.")


def test_a_review_date_needs_a_reviewer_and_cannot_be_in_the_future(
    draft: Article, editor_account: User, writer: Any
) -> None:
    with pytest.raises(NotAllowed, match="both the reviewer and the date"):
        _edit(draft, editor_account, reviewed_by=writer.pk)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    with pytest.raises(NotAllowed, match="future"):
        _edit(draft, editor_account, reviewed_by=writer.pk, reviewed_on=tomorrow)


def test_the_summary_staff_wrote_is_what_search_engines_and_feeds_show(
    draft: Article, editor_account: User, client: Client
) -> None:
    _edit(draft, editor_account, synopsis="Why runners' shins ache, and what helps.")
    workflow.publish(article=draft, by=editor_account)
    page = client.get(draft.get_absolute_url()).content.decode()
    assert 'name="description" content="Why runners&#x27; shins ache, and what helps."' in page
    feed = client.get("/feed/").content.decode()
    assert "Why runners" in feed
