"""People are told of the newsroom's steps: the writer when changes are requested, on a
comment, an approval, a schedule and publication; editors when an article is submitted. A
note on the desk and an email the task worker sends; nobody is told of their own step, and
each person can turn the emails off."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, ArticleEvent, Topic
from knowhow.newsroom.models import DeskNote
from knowhow.newsroom.telling import email_about_step
from tests import people

pytestmark = pytest.mark.django_db

EDIT = "/newsroom/articles/{}/edit/"


@pytest.fixture
def submitted(writer_account: User, editor_account: User, topic: Topic,
              django_capture_on_commit_callbacks: Any) -> Article:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        article = workflow.create_article(
            by=writer_account, title="What is a Stitch?", topic=topic, body="First words."
        )
        workflow.submit_for_review(article=article, by=writer_account)
    return article


def test_the_writer_is_emailed_the_note_when_changes_are_requested(
    submitted: Article, writer_account: User, editor_account: User, run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    run_worker()  # the editors' emails about the submission
    mail.outbox.clear()
    editor = people.signed_in(editor_account)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            EDIT.format(submitted.pk),
            {"do": "step:request_changes", "note_request_changes": "Cite the 2021 study.",
             "revision": submitted.latest_revision.number},  # type: ignore[union-attr]
        )  # fmt: skip
    assert response.status_code == 302
    assert mail.outbox == []  # queued, not sent while the editor waits
    run_worker()
    (email,) = mail.outbox
    assert email.to == [writer_account.email]
    assert "asked for changes to “What is a Stitch?”" in email.subject
    assert "Cite the 2021 study." in email.body
    assert f"/newsroom/articles/{submitted.pk}/edit/" in email.body
    desk = people.signed_in(writer_account).get("/newsroom/").text
    assert "Notes for you" in desk and "Cite the 2021 study." in desk


def test_editors_are_told_of_a_submission_and_the_writer_is_not(
    submitted: Article, writer_account: User, editor_account: User, run_worker: Any
) -> None:
    run_worker()
    assert [m.to for m in mail.outbox] == [[editor_account.email]]
    assert "submitted for review" in mail.outbox[0].subject
    assert DeskNote.objects.filter(user=editor_account).count() == 1
    assert not DeskNote.objects.filter(user=writer_account).exists()


def test_the_writer_hears_of_comment_approval_schedule_and_publication_never_their_own(
    submitted: Article, writer_account: User, editor_account: User, run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    run_worker()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.comment(article=submitted, by=writer_account, note="My own remark.")
        workflow.comment(article=submitted, by=editor_account, note="Nice lead.")
        workflow.approve(article=submitted, by=editor_account)
        workflow.publish(
            article=submitted, by=editor_account, at=timezone.now() + dt.timedelta(days=1)
        )
        workflow.publish_due(now=timezone.now() + dt.timedelta(days=2))
    DBTaskResult.objects.exclude(task_path__endswith="email_about_step").delete()
    run_worker()
    subjects = [m.subject for m in mail.outbox]
    assert all(m.to == [writer_account.email] for m in mail.outbox)
    assert len(subjects) == 4, subjects
    assert "commented on" in subjects[0] and "approved" in subjects[1]
    assert "scheduled" in subjects[2] and "published" in subjects[3]
    assert not any("My own remark." in m.body for m in mail.outbox)
    assert (
        not DeskNote.objects.filter(user=editor_account).exclude(event__action="submitted").exists()
    )


def test_a_writer_who_turned_the_emails_off_keeps_the_desk_notes(
    submitted: Article, writer_account: User, editor_account: User, run_worker: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    writer = people.signed_in(writer_account)
    page = writer.get("/accounts/settings/").text
    assert 'name="step_emails"' in page and "checked" in page.split('name="step_emails"')[1][:40]
    assert writer.post("/accounts/settings/", {}).status_code == 302  # every box unticked
    run_worker()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(article=submitted, by=editor_account, note="Shorter, please.")
    run_worker()
    assert mail.outbox == []
    assert DeskNote.objects.filter(user=writer_account, event__note="Shorter, please.").exists()
    writer.post("/newsroom/notes/read/")
    assert "Notes for you" not in writer.get("/newsroom/").text


def test_readers_have_no_newsroom_emails_to_turn_off(reader: User) -> None:
    page = people.signed_in(reader).get("/accounts/settings/").text
    assert 'name="step_emails"' not in page


def test_a_step_email_run_twice_goes_out_once(
    submitted: Article, editor_account: User, run_worker: Any
) -> None:
    run_worker()
    event = ArticleEvent.objects.get(article=submitted, action="submitted")
    email_about_step.enqueue(event.pk, editor_account.pk)  # the same call, queued again
    run_worker()
    assert [m.to for m in mail.outbox] == [[editor_account.email]]
