"""A better blocklist: whole words with their plural and inflected forms, or inside words;
each term holds, refuses (telling the reader, text kept) or publishes for review; and a term
is first tried on the latest posts before it is added."""

from __future__ import annotations

import html
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.models import BlockedTerm
from knowhow.antiabuse.reading import read_post
from knowhow.antiabuse.spam import Term, term_matches
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import PostRefused, edit_own_post, post_comment
from knowhow.moderation import services
from knowhow.moderation.models import Flag
from tests.conftest import form_data
from tests.pages import visible_text

BLOCKLIST = "/moderation/blocklist/"


def meets(value: str, text: str, match: str = "words") -> bool:
    return term_matches(Term("word", value, match), read_post(text))


@pytest.mark.parametrize(
    ("value", "text", "found"),
    [
        ("casino", "Best casinos online", True),
        ("casino", "The Casino's bonus", True),
        ("casino", "a casino terrace by the sea", True),  # a whole word: the action decides
        ("casino", "casinoroyale tonight", False),
        ("casino", "ca\u034fsi\ufe0fnos for you", True),  # invisible characters still folded
        ("pharmacy", "cheap pharmacies here", True),
        ("dose", "dosing advice", True),
        ("spin", "free spins and spinning", True),
        ("cheap pills", "CHEAP   pills now", True),
        ("ass", "a class on grass", False),
    ],
)
def test_whole_words_with_their_forms(value: str, text: str, found: bool) -> None:
    assert meets(value, text) is found


def test_inside_words_when_asked() -> None:
    assert meets("casino", "casinoroyale tonight", "inside")
    assert not meets("casino", "casinoroyale tonight")


def post(article: Article, body: str, client: Client | None = None):  # type: ignore[no-untyped-def]
    return (client or Client()).post(
        f"{article.get_absolute_url()}posts/", form_data(article, body), REMOTE_ADDR="192.0.2.8"
    )


def test_a_refused_term_tells_the_reader_and_keeps_the_text(
    article: Article, moderator: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.POST_RATE_ANONYMOUS = [(1, 600)]
    services.block_term(kind="word", value="casino", action="refuse", moderator=moderator)
    answer = post(article, "Visit my casinos for a bonus!")
    assert answer.status_code == 400
    assert "it contains blocked word “casino”" in visible_text(answer.content)
    assert "Visit my casinos for a bonus!" in answer.content.decode()
    assert not Post.objects.exists()
    # The refusal did not use up the reader's posting limit.
    assert post(article, "Sorry, I meant the card game.").status_code == 302


def test_an_edit_into_a_refused_term_is_refused(article: Article, moderator: User) -> None:
    services.block_term(kind="word", value="casino", action="refuse", moderator=moderator)
    mine = post_comment(article=article, body="An innocent remark.")
    with pytest.raises(PostRefused) as refusal:
        edit_own_post(post=mine, body="Now about casinos.")
    assert refusal.value.code == "blocked"
    mine.refresh_from_db()
    assert mine.body == "An innocent remark."


def test_an_edit_refused_through_the_page_keeps_the_text(article: Article, moderator: User) -> None:
    services.block_term(kind="word", value="casino", action="refuse", moderator=moderator)
    client = Client()
    post(article, "An innocent remark.", client)
    answer = client.post(
        f"{article.get_absolute_url()}posts/1/edit/", {"body": "Now about my casinos."}
    )
    assert answer.status_code == 400
    assert "it contains blocked word “casino”" in visible_text(answer.content)
    assert "Now about my casinos." in answer.content.decode()
    assert Post.objects.get().body == "An innocent remark."


def test_a_review_term_publishes_and_puts_the_post_in_the_queue(
    article: Article, moderator: User, mod_client: Client, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    services.block_term(kind="word", value="casino", action="review", moderator=moderator)
    with django_capture_on_commit_callbacks(execute=True):
        post(article, "We had lunch on the casino terrace.")
    stored = Post.objects.get()
    assert stored.status == Post.Status.PUBLISHED
    assert "casino terrace" in visible_text(Client().get(article.get_absolute_url()).content)
    flag = Flag.objects.get(post=stored)
    assert flag.reporter is None and flag.note == "Blocklist: contains blocked word “casino”"
    assert "casino terrace" in visible_text(mod_client.get("/moderation/").content)


def test_a_held_term_holds_as_before(article: Article, moderator: User) -> None:
    services.block_term(kind="word", value="casino", moderator=moderator)
    post(article, "Best casinos online.")
    assert Post.objects.get().status == Post.Status.HELD


def preview(client: Client, **data: str):  # type: ignore[no-untyped-def]
    sent = {"kind": "word", "match": "words", "action": "hold", **data}
    return client.post(BLOCKLIST, sent)


def test_adding_a_term_first_shows_what_it_would_have_met(
    article: Article, mod_client: Client
) -> None:
    post_comment(article=article, body="We had lunch on the casino terrace.")
    post_comment(article=article, body="Best casinos online.")
    post_comment(article=article, body="Stretch before running.")
    # "Block" without a preview blocks nothing and shows the preview.
    first = preview(mod_client, value="casino", block="1")
    assert not BlockedTerm.objects.exists()
    text = visible_text(first.content)
    assert "Nothing is blocked yet: see what it would meet first." in text
    assert "What it would have met among the latest 1000 posts" in text
    assert "2 posts:" in text and "casino terrace" in text and "Best casinos" in text
    assert "Stretch before" not in text
    key = html.unescape(re.search(r'name="previewed" value="([^"]*)"', first.content.decode())[1])
    # A key for another term is no preview of this one.
    other = preview(mod_client, value="poker", block="1", previewed=key)
    assert not BlockedTerm.objects.exists() and "None of them." in visible_text(other.content)
    done = mod_client.post(
        BLOCKLIST,
        {"kind": "word", "value": "casino", "match": "words", "action": "review",
         "previewed": key, "block": "1"},
        follow=True,
    )  # fmt: skip
    assert "Blocked the word “casino”." in visible_text(done.content)
    term = BlockedTerm.objects.get()
    assert (term.value, term.match, term.action) == ("casino", "words", "review")
