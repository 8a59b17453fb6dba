"""Every newsroom write, posted straight to its address by someone its page would not show
the button to (signed out, a reader, a moderator, staff without a role, an inactive editor,
another writer, a writer pressing an editor's step), is refused and changes nothing; none
is done by GET, and none without the form's CSRF token."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, ArticleEvent, Revision, Topic
from knowhow.newsroom.models import Question
from tests import people

pytestmark = pytest.mark.django_db

STEPS = ("submit", "comment", "request_changes", "approve", "publish", "schedule", "unpublish")


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    article = workflow.create_article(
        by=writer_account, title="What is a Stitch?", topic=topic, body="One."
    )
    workflow.save_revision(article=article, by=writer_account, content={"body": "Two."}, base=1)
    return article


def _writes(article: Article, topic: Topic) -> list[tuple[str, dict[str, object]]]:
    base = f"/newsroom/articles/{article.pk}"
    question = Question.objects.create(text="Why do stitches hurt?")
    other = Question.objects.create(text="Why a stitch?")
    form = {"title": "Taken", "topic": topic.pk, "body": "Taken over.", "base": 2}
    return [
        (f"{base}/edit/", form),
        (f"{base}/history/1/restore/", {}),
        *[(f"{base}/do/{step}/", {"note": "x", "at": "2099-01-01T10:00"}) for step in STEPS],
        ("/newsroom/articles/new/", form),
        (f"/newsroom/questions/{question.pk}/merge/", {"into": other.pk}),
        (f"/newsroom/questions/{question.pk}/decline/", {}),
        (f"/newsroom/questions/{question.pk}/draft/", {"writer": "", "title": "Taken"}),
    ]


def _state() -> tuple[int, int, int, list[tuple[str, str]]]:
    return (
        Article.objects.count(),
        Revision.objects.count(),
        ArticleEvent.objects.count(),
        sorted(Question.objects.values_list("text", "state")),
    )


def _outsider() -> Client:
    return people.signed_in(people.make_outsider())


def _moderator() -> Client:
    return people.signed_in(people.make_moderator())


def _staff_without_role() -> Client:
    return people.signed_in(people.make_account("staffer", is_staff=True))


def _inactive_editor() -> Client:
    editor = people.make_staff_editor("gone", "Gone Editor")
    client = people.signed_in(editor)
    User.objects.filter(pk=editor.pk).update(is_active=False)
    return client


def _another_writer() -> Client:
    return people.signed_in(people.make_staff_writer("walt", "Walt Other"))


WHO: dict[str, Callable[[], Client]] = {
    "signed out": Client,
    "reader": _outsider,
    "moderator": _moderator,
    "staff without a role": _staff_without_role,
    "inactive editor": _inactive_editor,
    "another writer": _another_writer,
}


@pytest.mark.parametrize("who", WHO)
def test_no_newsroom_write_is_done_for_the_wrong_person(
    who: str, draft: Article, topic: Topic
) -> None:
    client = WHO[who]()
    writes = _writes(draft, topic)
    before = _state()
    for url, data in writes:
        if who == "another writer" and url == "/newsroom/articles/new/":
            continue  # any writer may start an article of their own
        response = client.post(url, data)
        assert response.status_code in (302, 403, 404), (who, url, response.status_code)
        if response.status_code == 302:
            assert response["Location"].startswith("/accounts/login/"), (who, url)
    assert _state() == before


def test_a_writer_pressing_an_editors_step_changes_nothing(
    draft: Article, writer_account: User
) -> None:
    writer = people.signed_in(writer_account)
    workflow.submit_for_review(article=draft, by=writer_account)
    before = _state()
    for step in ("request_changes", "approve", "publish", "schedule", "unpublish"):
        response = writer.post(
            f"/newsroom/articles/{draft.pk}/do/{step}/", {"note": "x", "at": "2099-01-01T10:00"}
        )
        assert response.status_code == 400, step
    assert _state() == before
    draft.refresh_from_db()
    assert (draft.status, draft.stage) == (Article.Status.DRAFT, Article.Stage.IN_REVIEW)


def test_no_newsroom_write_is_done_by_get(
    draft: Article, topic: Topic, editor_account: User
) -> None:
    editor = people.signed_in(editor_account)
    writes = _writes(draft, topic)
    before = _state()
    for url, _data in writes:
        if url.endswith(("/edit/", "/new/", "/draft/")):
            continue  # these show a form on GET
        assert editor.get(url).status_code == 405, url
    assert _state() == before


def test_no_newsroom_write_is_done_without_the_csrf_token(
    draft: Article, topic: Topic, editor_account: User
) -> None:
    editor = people.signed_in(editor_account, Client(enforce_csrf_checks=True))
    writes = _writes(draft, topic)
    before = _state()
    for url, data in writes:
        assert editor.post(url, data).status_code == 403, url
    assert _state() == before


def test_a_note_too_long_for_the_log_comes_back_as_typed(
    draft: Article, writer_account: User
) -> None:
    long_note = "Please look at the second paragraph again. " * 60  # over 2,000 characters
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/do/comment/", {"note": long_note}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "at most 2000 characters" in html
    assert long_note.strip()[:500] in html
    assert not ArticleEvent.objects.filter(
        article=draft, action=ArticleEvent.Action.COMMENTED
    ).exists()
