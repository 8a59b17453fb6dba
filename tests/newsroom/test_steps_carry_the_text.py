"""Every workflow step on the editor page carries the text on screen: it is saved first and
the step taken on it, or the step is refused and the text comes back in the form. Nothing
typed is dropped, and nothing is half done."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people
from tests.newsroom.test_autosave import _body_in_form
from tests.newsroom.test_editor_pages import _fields
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

TYPED = "Pain along the inner edge of the shin bone, typed and not saved."


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="What is a Shin Splint?", topic=topic, body="Pain along the shin."
    )


def _press(client: Client, article: Article, step: str, form: dict[str, Any] | None = None,
           **extra: Any) -> Any:  # fmt: skip
    """Press a step's button on the editor page, the form holding what was typed."""
    data = {**(form if form is not None else _fields(article)), **extra, "do": f"step:{step}"}
    return client.post(f"/newsroom/articles/{article.pk}/edit/", data)


def _told(client: Client, response: Any) -> str:
    assert response.status_code == 302, response.status_code
    return visible_text(client.get(response["Location"]).content)


def test_submit_for_review_saves_the_typed_text_first(draft: Article, writer_account: User) -> None:
    writer = people.signed_in(writer_account)
    response = _press(writer, draft, "submit", _fields(draft, body=TYPED), note_submit="Ready.")
    assert "Saved revision 2. Submitted for review." in _told(writer, response)
    draft.refresh_from_db()
    assert draft.body == TYPED and draft.stage == Article.Stage.IN_REVIEW
    actions = list(draft.log.order_by("pk").values_list("action", "note"))
    assert actions[-2:] == [("saved", ""), ("submitted", "Ready.")]


def test_a_step_on_unchanged_text_makes_no_revision(draft: Article, writer_account: User) -> None:
    writer = people.signed_in(writer_account)
    assert "Submitted for review." in _told(writer, _press(writer, draft, "submit"))
    draft.refresh_from_db()
    assert draft.revisions.count() == 1 and draft.stage == Article.Stage.IN_REVIEW


def test_a_refused_step_saves_nothing_and_keeps_the_text(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    workflow.submit_for_review(article=draft, by=writer_account)
    response = _press(people.signed_in(editor_account), draft, "request_changes",
                      _fields(draft, body=TYPED), note_request_changes="  ")  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "Say what should change" in visible_text(html)
    assert _body_in_form(html) == TYPED
    draft.refresh_from_db()
    assert draft.body == "Pain along the shin." and draft.revisions.count() == 1
    assert draft.stage == Article.Stage.IN_REVIEW


def test_a_writer_pressing_an_editors_step_saves_nothing(
    draft: Article, writer_account: User
) -> None:
    response = _press(
        people.signed_in(writer_account), draft, "publish", _fields(draft, body=TYPED)
    )
    assert response.status_code == 400
    assert _body_in_form(response.content.decode()) == TYPED
    draft.refresh_from_db()
    assert draft.revisions.count() == 1 and draft.status == Article.Status.DRAFT


def test_a_step_from_a_stale_page_gets_the_stale_refusal_with_the_text(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    writers_form = _fields(draft, body=TYPED)
    people.signed_in(editor_account).post(
        f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, body="The editor's words.")
    )
    response = _press(people.signed_in(writer_account), draft, "submit", writers_form)
    assert response.status_code == 409
    html = response.content.decode()
    text = visible_text(html)
    assert "Someone saved revision 2 of this article after you opened revision 1." in text
    assert "“Submit for review” was not taken" in text
    assert _body_in_form(html) == TYPED and 'name="base" value="2"' in html
    draft.refresh_from_db()
    assert draft.body == "The editor's words." and draft.stage == Article.Stage.WRITING


def test_a_writer_locked_out_meanwhile_keeps_the_text(draft: Article, writer_account: User) -> None:
    writer = people.signed_in(writer_account)
    form = _fields(draft, body=TYPED)
    _press(writer, draft, "submit")  # from another tab: an editor has it now
    response = _press(writer, draft, "submit", form)
    assert response.status_code == 400
    html = response.content.decode()
    assert _body_in_form(html) == TYPED
    assert "Your text is still in the form, not saved" in visible_text(html)


def test_a_form_with_a_mistake_takes_no_step_and_keeps_the_text(
    draft: Article, writer_account: User
) -> None:
    response = _press(people.signed_in(writer_account), draft, "submit",
                      _fields(draft, body=TYPED, title=""))  # fmt: skip
    assert response.status_code == 400
    html = response.content.decode()
    assert "“Submit for review” was not taken: correct the form first." in visible_text(html)
    assert _body_in_form(html) == TYPED
    draft.refresh_from_db()
    assert draft.stage == Article.Stage.WRITING


def test_an_editor_approves_and_publishes_the_words_just_typed(
    draft: Article, writer_account: User, editor_account: User, client: Client
) -> None:
    workflow.submit_for_review(article=draft, by=writer_account)
    editor = people.signed_in(editor_account)
    told = _told(editor, _press(editor, draft, "approve", _fields(draft, body=TYPED)))
    assert "Saved revision 2. Approved" in told
    draft.refresh_from_db()
    assert draft.stage == Article.Stage.APPROVED
    fixed = TYPED.replace("typed and not saved", "checked")
    assert "Published: readers see it now." in _told(
        editor, _press(editor, draft, "publish", _fields(draft, body=fixed))
    )
    assert fixed in visible_text(client.get(draft.get_absolute_url()).content)


def test_scheduling_saves_the_text_and_the_time(draft: Article, editor_account: User) -> None:
    editor = people.signed_in(editor_account)
    response = _press(editor, draft, "schedule", _fields(draft, body=TYPED), at="2099-01-02T08:30")
    assert "Saved revision 2. Scheduled." in _told(editor, response)
    draft.refresh_from_db()
    assert draft.status == Article.Status.SCHEDULED and draft.body == TYPED


def test_changing_the_writer_saves_the_text(draft: Article, editor_account: User) -> None:
    walt = people.make_staff_writer(username="walt", name="Walt Other")
    editor = people.signed_in(editor_account)
    response = _press(editor, draft, "reassign", _fields(draft, body=TYPED),
                      reassign_to=walt.person.pk)  # fmt: skip
    assert "Walt Other writes “What is a Shin Splint?” now." in _told(editor, response)
    draft.refresh_from_db()
    assert draft.written_by.name == "Walt Other" and draft.body == TYPED


def test_every_step_on_the_page_belongs_to_the_form_with_the_text(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    html = people.signed_in(editor_account).get(f"/newsroom/articles/{draft.pk}/edit/")
    page = html.content.decode()
    steps = re.findall(r'<button type="submit" name="do" value="step:(\w+)" form="([\w-]+)"', page)
    assert [name for name, _ in steps] == ["submit", "comment", "publish", "schedule", "reassign"]
    assert {form for _, form in steps} == {"editor-form"}
    at = re.search(r'<input[^>]*name="at"[^>]*>', page)
    assert at is not None and 'form="editor-form"' in at.group()
    # A writer whose article an editor holds sees no text to edit: the steps have a form of
    # their own, and a comment goes through without one.
    writer = people.signed_in(writer_account)
    workflow.submit_for_review(article=draft, by=writer_account)
    page = writer.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()
    assert 'value="step:comment" form="workflow-form"' in page
    form = {"revision": 1, "note_comment": "Added the sources."}
    assert "Comment added" in _told(writer, _press(writer, draft, "comment", form))


def test_outsiders_cannot_press_a_step(draft: Article, outsider: User, client: Client) -> None:
    assert _press(people.signed_in(outsider), draft, "publish").status_code == 403
    assert draft.log.count() == 1


def test_a_writer_locked_out_meanwhile_may_still_comment_on_an_unchanged_page(
    draft: Article, writer_account: User
) -> None:
    writer = people.signed_in(writer_account)
    form = _fields(draft)
    _press(writer, draft, "submit")  # from another tab: an editor has it now
    response = _press(writer, draft, "comment", form, note_comment="Sources added.")
    assert "Comment added to the log." in _told(writer, response)
