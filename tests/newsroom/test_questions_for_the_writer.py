"""The draft made from a reader's question carries the question's words for its writer,
never who asked nor their address, and that writer may read the question; nobody else
but editors may."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles.models import Article, Person, Topic
from knowhow.newsroom import question_services
from knowhow.newsroom.models import Question
from tests import people

pytestmark = pytest.mark.django_db

WORDS = "Why do my calves cramp at night? Write back to alice@example.org, Alice Asker"


@pytest.fixture
def drafted(editor_account: User, writer_account: User, topic: Topic) -> Question:
    question = Question.objects.create(
        text=WORDS, asker_name="Alice Asker", email="alice@example.org"
    )
    question_services.turn_into_draft(
        question=question,
        by=editor_account,
        title="Why do Calves Cramp at Night?",
        topic=topic,
        writer=Person.objects.get(user=writer_account),
    )
    question.refresh_from_db()
    return question


def test_the_writer_finds_the_question_in_the_draft_without_who_asked(
    drafted: Question, writer_account: User
) -> None:
    writer = people.signed_in(writer_account)
    assert drafted.draft is not None
    editor_page = writer.get(f"/newsroom/articles/{drafted.draft.pk}/edit/").text
    assert "Why do my calves cramp at night?" in editor_page
    assert f'href="/newsroom/questions/{drafted.pk}/"' in editor_page
    page = writer.get(f"/newsroom/questions/{drafted.pk}/")
    assert page.status_code == 200
    assert "Why do my calves cramp at night?" in page.text
    for told in (editor_page, page.text):
        assert "alice@example.org" not in told and "Alice Asker" not in told
    body = Article.objects.get(pk=drafted.draft.pk).body
    assert "alice" not in body.lower()  # the words are for the writer, never for readers


@pytest.mark.parametrize("who", ["outsider", "reader", "moderator"])
def test_others_are_refused_the_question(
    drafted: Question, who: str, request: pytest.FixtureRequest
) -> None:
    browser = people.signed_in(request.getfixturevalue(who))
    assert browser.get(f"/newsroom/questions/{drafted.pk}/").status_code == 403


def test_another_writer_is_refused_and_a_visitor_sent_to_sign_in(
    drafted: Question, client: Client
) -> None:
    other = people.make_staff_writer("olga", "Olga Other")
    assert people.signed_in(other).get(f"/newsroom/questions/{drafted.pk}/").status_code == 403
    response = client.get(f"/newsroom/questions/{drafted.pk}/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_question_not_drafted_is_for_editors_only(
    writer_account: User, editor_account: User
) -> None:
    question = Question.objects.create(text="Is it cold?")
    url = f"/newsroom/questions/{question.pk}/"
    assert people.signed_in(writer_account).get(url).status_code == 403
    assert people.signed_in(editor_account).get(url).status_code == 200


def test_a_signed_in_askers_name_is_blanked_out_of_the_words_and_nothing_else(
    reader: User,
) -> None:
    reader.first_name, reader.last_name = "Pat", "Reader"
    question = Question(text="I'm Pat Reader (reader@example.org): is a pattern of cramps bad?",
                        asker=reader)  # fmt: skip
    words = question.words_for_writer()
    assert "Pat Reader" not in words and "reader@example.org" not in words
    assert "pattern of cramps" in words
