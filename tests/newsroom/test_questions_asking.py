"""Asking a question: signed in or anonymous, through the same anti-abuse layers as posts,
and a refused question keeps its text with the reason."""

from __future__ import annotations

import math
import re
import time
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.antiabuse.spam import SpamGuard, Verdict
from knowhow.articles.models import Article
from knowhow.newsroom.models import Question
from knowhow.newsroom.question_forms import issue_token
from tests import people

pytestmark = pytest.mark.django_db

QUESTION = "Why do cramps come at night more than in the day?"


def ask_data(text: str = QUESTION, age: float = 30, **extra: Any) -> dict[str, Any]:
    """What the ask form sends, as if shown `age` seconds ago."""
    return {"text": text, "issued": issue_token(time.time() - age), **extra}


def test_an_anonymous_reader_asks_from_an_article_and_the_editors_get_it(
    client: Client, article: Article
) -> None:
    page = client.get(f"/ask/?article={article.slug}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<h1" in html and "Ask a question" in html and article.title in html
    response = client.post(
        "/ask/",
        ask_data(name="Pat", email="pat@example.net", article=article.slug),
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/ask/?article={article.slug}"
    shown = response.content.decode()
    assert "your question reached the editors" in shown
    assert "we will email pat@example.net once" in shown
    question = Question.objects.get()
    assert question.text == QUESTION
    assert question.asker is None and question.asker_name == "Pat"
    assert question.email == "pat@example.net"
    assert question.asked_from == article
    assert question.state == Question.State.NEW


def test_a_signed_in_reader_asks_under_their_account_with_their_address_offered(
    reader: User,
) -> None:
    browser = people.signed_in(reader)
    page = browser.get("/ask/").content.decode()
    assert f'value="{reader.email}"' in page
    assert "Your name (optional)" not in page  # the account names them
    response = browser.post("/ask/", ask_data(email=reader.email, name="Somebody Else"))
    assert response.status_code == 302
    question = Question.objects.get()
    assert question.asker == reader and question.asker_name == ""
    assert question.email == reader.email


def test_the_article_page_links_to_the_ask_form(client: Client, article: Article) -> None:
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="/ask/?article={article.slug}"' in page


def test_sending_the_same_question_twice_keeps_one(client: Client) -> None:
    client.post("/ask/", ask_data())
    again = client.post("/ask/", ask_data(), follow=True)
    assert "You had already sent this question" in again.content.decode()
    assert Question.objects.count() == 1


def _kept(response: Any, text: str) -> str:
    html = str(response.content.decode())
    # A browser drops the one line break a textarea's text may start with.
    assert re.search(f">\n?{re.escape(text)}</textarea>", html), "the question typed is shown again"
    return html


def test_an_empty_question_is_refused_with_a_reason(client: Client) -> None:
    response = client.post("/ask/", ask_data(text="   "))
    assert response.status_code == 400
    assert "Please write your question" in response.content.decode()
    assert not Question.objects.exists()


def test_a_rate_limited_reader_keeps_the_text_and_hears_when_to_come_back(
    client: Client, settings: Any
) -> None:
    settings.POST_RATE_ANONYMOUS = [(1, 600)]
    assert client.post("/ask/", ask_data()).status_code == 302
    second = "And why do they hit the calf, not the thigh?"
    response = client.post("/ask/", ask_data(text=second))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    said = r"sending questions and posts faster than this site allows\. Please wait \d+ minutes?"
    assert re.search(said, _kept(response, second))
    assert Question.objects.count() == 1


def test_posts_and_questions_share_one_rate_limit(
    client: Client, article: Article, settings: Any
) -> None:
    from tests.conftest import form_data

    settings.POST_RATE_ANONYMOUS = [(1, 600)]
    assert (
        client.post(f"/articles/{article.slug}/posts/", form_data(article, "Hi")).status_code == 302
    )
    assert client.post("/ask/", ask_data()).status_code == 429


def test_a_banned_reader_is_refused_and_keeps_the_text(reader: User) -> None:
    Ban.objects.create(kind=Ban.Kind.ACCOUNT, user=reader, reason="flooding")
    browser = people.signed_in(reader)
    response = browser.post("/ask/", ask_data())
    assert response.status_code == 403
    assert "suspended" in _kept(response, QUESTION)
    assert not Question.objects.exists()


def test_a_question_linking_to_a_blocked_site_is_refused_with_the_reason(
    client: Client,
) -> None:
    BlockedTerm.objects.create(kind="domain", value="pills.example")
    text = "Do the tablets at https://shop.pills.example/cramps work?"
    response = client.post("/ask/", ask_data(text=text))
    assert response.status_code == 400
    assert "links to a site this one does not accept" in _kept(response, text)
    assert not Question.objects.exists()


def test_a_blocked_word_is_refused_without_naming_the_word(client: Client) -> None:
    BlockedTerm.objects.create(kind="word", value="casino")
    text = "Is a casino bad for cramps?"
    html = _kept(client.post("/ask/", ask_data(text=text)), text)
    assert "uses a word this site does not accept" in html
    assert "“casino”" not in html
    assert not Question.objects.exists()


def test_the_reason_follows_the_guards_code_not_its_words(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The moderators' log may word a signal as it likes: the asker's reason is chosen by
    the signal's code."""

    def reworded(guard: SpamGuard, verdict: Verdict, code: str, text: str, plain: str = "") -> None:
        verdict.add(guard.POINTS[code], code, "reworded for the log", plain)

    monkeypatch.setattr(SpamGuard, "_add", reworded)
    BlockedTerm.objects.create(kind="domain", value="pills.example")
    text = "Do the tablets at https://shop.pills.example/cramps work?"
    assert "links to a site this one does not accept" in _kept(
        client.post("/ask/", ask_data(text=text)), text
    )


def test_a_form_sent_at_once_by_a_script_is_refused(client: Client) -> None:
    response = client.post("/ask/", ask_data(age=0.2))
    assert response.status_code == 400
    # How long to wait, as the post form says it (the request itself takes a moment).
    said = re.search(
        r"That was quicker than anyone reads: this question was sent (\d+\.\d) seconds after "
        r"the page loaded\. Please wait (\d) seconds?, then send it again; your question is "
        r"still here\.",
        _kept(response, QUESTION),
    )
    assert said, "the refusal says how long to wait"
    age, wait = float(said.group(1)), int(said.group(2))
    # The wait is what is left of the 3 seconds a person takes (the age shown is rounded).
    assert 1 <= wait <= 3 and abs(wait - max(1, math.ceil(3 - age))) <= 1
    assert not Question.objects.exists()


def test_the_hidden_field_bots_fill_in_refuses_the_question(client: Client) -> None:
    response = client.post("/ask/", ask_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "looks automated" in _kept(response, QUESTION)
    assert 'name="website" id="id_website" value=""' in response.content.decode()


def test_a_forged_or_missing_form_token_is_refused(client: Client) -> None:
    response = client.post("/ask/", {"text": QUESTION, "issued": "1:forged:sig"})
    assert response.status_code == 400
    assert "This form has expired" in _kept(response, QUESTION)


def test_one_form_makes_one_question(client: Client) -> None:
    data = ask_data()
    assert client.post("/ask/", data).status_code == 302
    other = Client()  # another browser replaying the same form with other words
    response = other.post("/ask/", {**data, "text": "Something else entirely?"})
    assert response.status_code == 400
    assert "already used for a question" in response.content.decode()
    assert Question.objects.count() == 1


def test_a_bad_email_keeps_everything_typed(client: Client) -> None:
    response = client.post("/ask/", ask_data(email="not an address", name="Pat"))
    assert response.status_code == 400
    html = _kept(response, QUESTION)
    assert "valid email" in html and 'value="Pat"' in html
    assert not Question.objects.exists()


def test_a_deleted_account_leaves_its_questions_anonymous_and_without_its_address(
    reader: User,
) -> None:
    people.signed_in(reader).post("/ask/", ask_data(email=reader.email))
    reader.delete()
    question = Question.objects.get()
    assert question.asker is None and question.email == ""
    assert question.text == QUESTION


def test_a_draft_named_in_the_address_is_neither_shown_nor_recorded(
    client: Client, make_article: Any
) -> None:
    draft = make_article(title="What Nobody May Read Yet?", status=Article.Status.DRAFT)
    page = client.get(f"/ask/?article={draft.slug}").content.decode()
    assert draft.title not in page
    client.post("/ask/", ask_data(article=draft.slug))
    assert Question.objects.get().asked_from is None


def test_a_readers_download_holds_their_questions_and_nobody_elses(
    reader: User, outsider: User
) -> None:
    browser = people.signed_in(reader)
    browser.post("/ask/", ask_data(email="me@example.net"))
    people.signed_in(outsider).post("/ask/", ask_data(text="The outsider's own question?"))
    data = browser.get("/accounts/data/").json()
    assert [(q["text"], q["email_when_answered"], q["state"]) for q in data["questions"]] == [
        (QUESTION, "me@example.net", "new")
    ]
