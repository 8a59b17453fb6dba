"""The editor page's workflow buttons: each shown only to whom it is open, each calling its
service, and each refusal shown with what was typed kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
        by=writer_account, title="What is a Shin Splint?", topic=topic, body="Pain along the shin."
    )


def _buttons(client: Client, article: Article) -> list[str]:
    html = client.get(f"/newsroom/articles/{article.pk}/edit/").content.decode()
    workflow_part = html.split('id="workflow"')[1].split('id="log"')[0]
    labels = ["Submit for review", "Comment", "Request changes", "Approve", "Publish now",
              "Schedule", "Unpublish"]  # fmt: skip
    return [label for label in labels if f">{label}</button>" in workflow_part]


def _step(client: Client, article: Article, action: str, **data: Any) -> Any:
    return client.post(f"/newsroom/articles/{article.pk}/do/{action}/", data)


def test_a_writer_sees_submit_and_comment_on_a_draft(draft: Article, writer_account: User) -> None:
    assert _buttons(people.signed_in(writer_account), draft) == ["Submit for review", "Comment"]


def test_an_editor_sees_the_steps_of_each_stage(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    assert _buttons(editor, draft) == ["Submit for review", "Comment", "Publish now", "Schedule"]
    workflow.submit_for_review(article=draft, by=writer_account)
    assert _buttons(editor, draft) == [
        "Comment", "Request changes", "Approve", "Publish now", "Schedule",
    ]  # fmt: skip
    workflow.publish(article=draft, by=editor_account)
    assert _buttons(editor, draft) == ["Comment", "Unpublish"]


def test_the_whole_way_through_the_buttons(
    draft: Article, writer_account: User, editor_account: User, client: Client
) -> None:
    writer, editor = people.signed_in(writer_account), people.signed_in(editor_account)
    assert _step(writer, draft, "submit", note="Ready.").status_code == 302
    assert _step(editor, draft, "comment", note="Nice start.").status_code == 302
    assert _step(editor, draft, "request_changes", note="Say who gets them.").status_code == 302
    draft.refresh_from_db()
    assert draft.stage == Article.Stage.CHANGES_REQUESTED
    assert _step(writer, draft, "submit").status_code == 302
    assert _step(editor, draft, "approve").status_code == 302
    response = _step(editor, draft, "publish")
    assert response.status_code == 302
    page = visible_text(editor.get(response["Location"]).content)
    assert "Published: readers see it now." in page
    assert "Published: readers see the newest revision." in page
    log = page.split("Log")[-1]
    for entry in ("Requested changes by Ed Editor", "Say who gets them.", "Commented by Ed Editor",
                  "Nice start.", "Submitted for review by Wendy Writer", "Ready."):  # fmt: skip
        assert entry in log
    public = visible_text(client.get(draft.get_absolute_url()).content)
    assert "Written By: Wendy Writer" in public and "Edited By: Ed Editor" in public


def test_request_changes_needs_a_note_and_keeps_nothing_half_done(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    workflow.submit_for_review(article=draft, by=writer_account)
    response = _step(people.signed_in(editor_account), draft, "request_changes", note="  ")
    assert response.status_code == 400
    assert "Say what should change" in visible_text(response.content)
    draft.refresh_from_db()
    assert draft.stage == Article.Stage.IN_REVIEW


def test_a_refused_step_keeps_its_note(draft: Article, editor_account: User) -> None:
    # Approving a draft nobody submitted is refused; the note typed comes back.
    response = _step(people.signed_in(editor_account), draft, "approve", note="Looks right.")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Only an article in review can be approved." in html
    assert "Your note, not saved: “Looks right.”" in visible_text(html)


@pytest.mark.parametrize("action", ["request_changes", "approve", "publish", "unpublish"])
def test_a_writer_cannot_take_an_editors_step(
    action: str, draft: Article, writer_account: User
) -> None:
    workflow.submit_for_review(article=draft, by=writer_account)
    response = _step(people.signed_in(writer_account), draft, action, note="Me too.")
    assert response.status_code == 400
    assert "Only editors may" in visible_text(response.content)
    draft.refresh_from_db()
    assert draft.stage == Article.Stage.IN_REVIEW and draft.status == Article.Status.DRAFT


@pytest.mark.parametrize("action", ["submit", "comment", "approve", "publish"])
def test_outsiders_and_the_signed_out_cannot_take_any_step(
    action: str, draft: Article, outsider: User, client: Client
) -> None:
    assert _step(people.signed_in(outsider), draft, action, note="x").status_code == 403
    assert _step(client, draft, action, note="x").status_code == 302
    assert draft.log.count() == 1  # only its creation


def test_an_unknown_step_is_refused(draft: Article, editor_account: User) -> None:
    assert _step(people.signed_in(editor_account), draft, "delete").status_code == 403


def test_scheduling_takes_a_time_in_the_sites_time_zone(
    draft: Article, editor_account: User, settings: Any, client: Client, run_worker: Any
) -> None:
    settings.TIME_ZONE = "Europe/London"
    with time_machine.travel(dt.datetime(2026, 7, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        response = _step(people.signed_in(editor_account), draft, "schedule", at="2026-07-02T08:30")
        assert response.status_code == 302
        draft.refresh_from_db()
        assert draft.status == Article.Status.SCHEDULED
        # 08:30 in London in summer is 07:30 UTC.
        assert draft.published_at == dt.datetime(2026, 7, 2, 7, 30, tzinfo=dt.UTC)
        page = visible_text(people.signed_in(editor_account).get(response["Location"]).content)
        assert "Scheduled to be published on 2 July 2026, 08:30 (Europe/London)." in page
    with time_machine.travel(dt.datetime(2026, 7, 2, 7, 31, tzinfo=dt.UTC), tick=False):
        assert workflow.publish_due(now=timezone.now()) == 1
        assert client.get(draft.get_absolute_url()).status_code == 200


def test_scheduling_in_the_past_is_refused(draft: Article, editor_account: User) -> None:
    response = _step(people.signed_in(editor_account), draft, "schedule", at="2001-01-01T10:00")
    assert response.status_code == 400
    assert "Choose a time in the future" in visible_text(response.content)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_unpublish_takes_the_article_off_the_site(
    draft: Article, editor_account: User, client: Client
) -> None:
    workflow.publish(article=draft, by=editor_account)
    assert client.get(draft.get_absolute_url()).status_code == 200
    response = _step(people.signed_in(editor_account), draft, "unpublish", note="Outdated.")
    assert response.status_code == 302
    assert client.get(draft.get_absolute_url()).status_code == 404
