"""The editors' queue of readers' questions: who may see it, merging duplicates, declining,
and turning a question into a draft for a writer."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles.models import Article, ArticleEvent, Person, Topic
from knowhow.newsroom.models import Question
from tests import people

pytestmark = pytest.mark.django_db

QUEUE = "/newsroom/questions/"


def ask(text: str = "Why do cramps come at night?", **fields: Any) -> Question:
    return Question.objects.create(text=text, **fields)


@pytest.fixture
def editor_browser(editor_account: User) -> Client:
    return people.signed_in(editor_account)


def test_editors_see_new_questions_with_who_asked_and_from_where(
    editor_browser: Client, reader: User, article: Article
) -> None:
    ask("Why do cramps come at night?", asker=reader, email=reader.email)
    ask("Is salt good for cramps?", asker_name="Pat", asked_from=article)
    declined = ask("Old question", state=Question.State.DECLINED)
    page = editor_browser.get(QUEUE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "2 new questions" in html
    assert "Why do cramps come at night?" in html and "Is salt good for cramps?" in html
    assert "reader" in html and "Pat" in html and article.title in html
    assert "to be emailed when answered" in html and "no email left" in html
    assert declined.text not in html
    assert reader.email not in html  # the address is for the one email, not for the page


def test_the_queue_is_paged(editor_browser: Client) -> None:
    Question.objects.bulk_create(Question(text=f"Question text number {n}?") for n in range(25))
    first = editor_browser.get(QUEUE).content.decode()
    assert "Question text number 19?" in first and "Question text number 20?" not in first
    assert "Page 1 of 2" in first
    second = editor_browser.get(QUEUE + "?page=2").content.decode()
    assert "Question text number 24?" in second and "Question text number 0?" not in second


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["outsider", "reader", "writer_account", "moderator"])
def test_everyone_but_editors_is_refused_the_queue_and_its_actions(
    who: str, request: pytest.FixtureRequest, writer_account: User, topic: Topic
) -> None:
    user = request.getfixturevalue(who)
    browser = people.signed_in(user)
    question = ask("Kept secret from non-editors?")
    other = ask("Another question?")
    writer = Person.objects.get(user=writer_account)
    assert browser.get(QUEUE).status_code == 403
    assert browser.get(f"{QUEUE}{question.pk}/draft/").status_code == 403
    assert browser.post(f"{QUEUE}{question.pk}/decline/").status_code == 403
    assert browser.post(f"{QUEUE}{question.pk}/merge/", {"into": other.pk}).status_code == 403
    draft = {"title": "A title", "topic": topic.pk, "writer": writer.pk}
    assert browser.post(f"{QUEUE}{question.pk}/draft/", draft).status_code == 403
    question.refresh_from_db()
    assert question.state == Question.State.NEW and question.duplicate_of is None
    assert not Article.objects.filter(title="A title").exists()


def test_an_editor_merges_a_duplicate(editor_browser: Client, editor_account: User) -> None:
    first = ask("Why do cramps come at night?")
    again = ask("why do cramps come at NIGHT")
    earlier_duplicate = ask("Night cramps, why?", state=Question.State.MERGED, duplicate_of=again)
    response = editor_browser.post(f"{QUEUE}{again.pk}/merge/", {"into": first.pk}, follow=True)
    html = response.content.decode()
    assert f"Question {again.pk} is merged into Question {first.pk}" in html
    again.refresh_from_db()
    earlier_duplicate.refresh_from_db()
    assert again.state == Question.State.MERGED and again.duplicate_of == first
    assert again.handled_by == editor_account and again.handled_at is not None
    # What was merged into the duplicate follows it, so the answer reaches its asker too.
    assert earlier_duplicate.duplicate_of == first
    assert "2 duplicates merged into it" in html


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("self", "cannot be merged into itself"),
        ("declined", "is declined: merge into a new question"),
        ("missing", "There is no question"),
        ("words", "Enter a whole number"),
    ],
)
def test_a_merge_that_cannot_be_done_says_why_and_keeps_the_number_typed(
    editor_browser: Client, target: str, message: str
) -> None:
    question = ask("Why do cramps come at night?")
    into = {
        "self": str(question.pk),
        "declined": str(ask("Declined one", state=Question.State.DECLINED).pk),
        "missing": "999",
        "words": "first",
    }[target]
    response = editor_browser.post(f"{QUEUE}{question.pk}/merge/", {"into": into})
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="merge-{question.pk}" value="{into}"' in html
    question.refresh_from_db()
    assert question.state == Question.State.NEW


def test_an_editor_declines_a_question(editor_browser: Client, editor_account: User) -> None:
    question = ask("Can you tell me the lottery numbers?")
    response = editor_browser.post(f"{QUEUE}{question.pk}/decline/", follow=True)
    assert f"Question {question.pk} is declined" in response.content.decode()
    question.refresh_from_db()
    assert question.state == Question.State.DECLINED and question.handled_by == editor_account
    assert question.text not in editor_browser.get(QUEUE).content.decode()


def test_an_editor_turns_a_question_into_a_draft_for_a_writer(
    editor_browser: Client, editor_account: User, writer_account: User, topic: Topic
) -> None:
    question = ask("Why do cramps come at night?")
    Person.objects.create(name="Guest Author", slug="guest-author")
    form = editor_browser.get(f"{QUEUE}{question.pk}/draft/")
    html = form.content.decode()
    assert form.status_code == 200
    assert 'value="Why do cramps come at night?"' in html  # the title starts as the question
    assert ">Wendy Writer</option>" in html
    assert ">Ed Editor</option>" in html  # an editor may write too
    assert ">Guest Author</option>" not in html  # a byline without a newsroom account
    wendy = Person.objects.get(user=writer_account)
    response = editor_browser.post(
        f"{QUEUE}{question.pk}/draft/",
        {"title": "Why Do Cramps Come at Night?", "topic": topic.pk, "writer": wendy.pk},
        follow=True,
    )
    assert "is now the draft “Why Do Cramps Come at Night?”, written by Wendy Writer" in (
        response.content.decode()
    )
    question.refresh_from_db()
    article = question.draft
    assert article is not None and question.state == Question.State.DRAFTED
    assert article.status == Article.Status.DRAFT and article.written_by == wendy
    assert article.topic == topic and article.revisions.count() == 1
    created = ArticleEvent.objects.get(article=article, action=ArticleEvent.Action.CREATED)
    assert created.actor == editor_account
    # It waits in its own section until the article is published.
    queue = editor_browser.get(QUEUE).content.decode()
    assert "1 waiting for its article" in queue and "Wendy Writer" in queue


def test_a_draft_needs_a_writer_with_a_newsroom_account_and_keeps_what_was_typed(
    editor_browser: Client, topic: Topic
) -> None:
    question = ask("Why do cramps come at night?")
    guest = Person.objects.create(name="Guest Author", slug="guest-author")
    response = editor_browser.post(
        f"{QUEUE}{question.pk}/draft/",
        {"title": "My typed title", "topic": topic.pk, "writer": guest.pk},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Select a valid choice" in html and 'value="My typed title"' in html
    question.refresh_from_db()
    assert question.state == Question.State.NEW and not Article.objects.exists()


def test_a_handled_question_cannot_be_drafted_again(
    editor_browser: Client, writer_account: User, topic: Topic
) -> None:
    question = ask("Why?", state=Question.State.DECLINED)
    wendy = Person.objects.get(user=writer_account)
    response = editor_browser.post(
        f"{QUEUE}{question.pk}/draft/", {"title": "Why?", "topic": topic.pk, "writer": wendy.pk}
    )
    assert response.status_code == 400
    assert "is declined already" in response.content.decode()
    assert not Article.objects.exists()


def test_the_queue_costs_the_same_queries_however_many_questions_it_shows(
    editor_browser: Client,
    editor_account: User,
    writer_account: User,
    reader: User,
    article: Article,
    topic: Topic,
    django_assert_max_num_queries: Any,
) -> None:
    from knowhow.newsroom import question_services as services

    wendy = Person.objects.get(user=writer_account)

    def add(n: int) -> None:
        for i in range(n):
            ask(f"New one {i}?", asker=reader, asked_from=article)
            drafted = ask(f"Drafted one {i}?", asker_name="Pat")
            services.turn_into_draft(
                question=drafted, by=editor_account, title=f"Answer {i}", topic=topic, writer=wendy
            )

    add(1)
    editor_browser.get(QUEUE)  # sessions and such settle
    with django_assert_max_num_queries(20) as few:
        editor_browser.get(QUEUE)
    add(15)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = editor_browser.get(QUEUE)
    assert "16 new questions" in page.content.decode()


def test_every_queue_address_is_in_the_refusal_test() -> None:
    """A new page or action of the queue must join the refusal test above."""
    from knowhow.newsroom.questions import urlpatterns

    tested = {"question-queue", "question-draft", "question-decline", "question-merge"}
    tested |= {"question"}  # its own refusal test: test_questions_for_the_writer
    assert {pattern.name for pattern in urlpatterns} == tested
