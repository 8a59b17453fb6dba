"""A banned reader is told before typing: where the post form would be, the page says that
posting is suspended, until when, why (the reason meant for them, never the moderators'
note) and how to appeal; Report is not offered. Everyone else sees the form as before."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation import services
from tests.conftest import form_data
from tests.pages import visible_text
from tests.people import make_account, signed_in

NOTICE = "You cannot post at the moment"


@pytest.fixture
def troll(db: None) -> User:
    return make_account("troll")


@pytest.fixture
def thread(article: Article, troll: User) -> Post:
    post_comment(article=article, body="Stretching before bed helped me.")
    return post_comment(article=article, body="Everyone here is an idiot.", author=troll)


def ban(moderator: User, **terms: object) -> Ban:
    fields: dict[str, object] = {"kind": Ban.Kind.ACCOUNT, "reason": "Troll, third time."}
    return services.ban(moderator=moderator, **(fields | terms))


def test_a_banned_reader_sees_the_suspension_before_typing(
    article: Article, thread: Post, troll: User, moderator: User
) -> None:
    ends = timezone.now() + dt.timedelta(days=7)
    ban(moderator, user=troll, expires_at=ends, reader_reason="Insulting other readers.")
    html = signed_in(troll).get(article.get_absolute_url()).content.decode()
    text = visible_text(html)
    assert f"{NOTICE}: posting and reporting from your account is suspended until" in text
    assert f"{timezone.localtime(ends):%-d %B %Y, %H:%M}" in text
    assert "Why: Insulting other readers." in text
    assert "you may appeal to the moderators, or write to them at" in text
    assert 'href="/appeal/"' in html
    assert "Troll, third time." not in text  # the moderators' own note
    assert 'name="body"' not in html  # nothing to type into
    assert 'aria-label="Report Post' not in html


def test_without_a_reason_for_the_reader_none_is_made_up(
    article: Article, thread: Post, troll: User, moderator: User
) -> None:
    ban(moderator, user=troll)
    text = visible_text(signed_in(troll).get(article.get_absolute_url()).content)
    assert "is suspended until a moderator lifts it" in text
    assert "The moderators gave no reason for you." in text
    assert "Troll, third time." not in text


def test_everyone_else_still_sees_the_form_and_report(
    article: Article, thread: Post, troll: User, reader: User, moderator: User
) -> None:
    ban(moderator, user=troll)
    for client in (Client(), signed_in(reader)):
        html = client.get(article.get_absolute_url()).content.decode()
        assert NOTICE not in html and 'name="body"' in html
        assert 'aria-label="Report Post 2"' in html


def test_a_ban_made_while_the_reader_reads_shows_on_their_next_page(
    article: Article, thread: Post, troll: User, moderator: User
) -> None:
    client = signed_in(troll)
    assert 'name="body"' in client.get(article.get_absolute_url()).content.decode()
    record = ban(moderator, user=troll)
    assert NOTICE in client.get(article.get_absolute_url()).content.decode()
    services.lift_ban(ban_record=record, moderator=moderator)
    html = client.get(article.get_absolute_url()).content.decode()
    assert NOTICE not in html and 'name="body"' in html


def test_an_address_ban_tells_the_visitor_from_that_address_only(
    article: Article, thread: Post, moderator: User
) -> None:
    anonymous = submit_post(
        article=article, body="Buy pills.", address=address_of("203.0.113.66")
    ).post
    ban(moderator, kind=Ban.Kind.ADDRESS, post=anonymous, reader_reason="Advertising.")
    there = visible_text(Client(REMOTE_ADDR="203.0.113.66").get(article.get_absolute_url()).content)
    assert (
        "posting and reporting from your address is suspended" in there
        and "Why: Advertising." in there
    )
    elsewhere = Client(REMOTE_ADDR="198.51.100.9").get(article.get_absolute_url()).content.decode()
    assert NOTICE not in elsewhere and 'name="body"' in elsewhere


def test_text_sent_anyway_is_refused_and_kept_beside_the_notice(
    article: Article, thread: Post, troll: User, moderator: User
) -> None:
    ban(moderator, user=troll, reader_reason="Insults.")
    answer = signed_in(troll).post(
        f"{article.get_absolute_url()}posts/",
        form_data(article, "I was typing this before the ban.", **{"as": "me"}),
    )
    assert answer.status_code == 403
    text = visible_text(answer.content)
    assert NOTICE in text and "Why: Insults." in text
    assert "I was typing this before the ban.</textarea>" in answer.content.decode()
    assert Post.objects.count() == 2  # nothing stored


def test_the_report_page_tells_a_banned_reader_before_writing_and_keeps_a_note_sent(
    article: Article, thread: Post, troll: User, moderator: User
) -> None:
    ban(moderator, user=troll, reader_reason="Insults.")
    client = signed_in(troll)
    url = f"{article.get_absolute_url()}posts/1/report/"
    shown = client.get(url).content.decode()
    assert "You cannot report at the moment" in visible_text(shown) and "Why: Insults." in shown
    assert 'name="reason"' not in shown
    sent = client.post(url, {"reason": "spam", "note": "Looks like an advert to me."})
    assert sent.status_code == 403
    assert "Looks like an advert to me.</textarea>" in sent.content.decode()


def test_a_shadow_hidden_reader_is_not_told(
    article: Article, thread: Post, troll: User, moderator: User
) -> None:
    ban(moderator, kind=Ban.Kind.SHADOW, user=troll)
    html = signed_in(troll).get(article.get_absolute_url()).content.decode()
    assert NOTICE not in html and 'name="body"' in html
