"""Appeals: a banned reader's notice links to a short appeal form (their account, or an
email to answer to for an address ban) that lands in the queue beside the ban; deciding it
tells the reader. The author of a removed post may ask for a second look, once. Both are
rate-limited, and refused to anyone they are not for."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import submit_post
from knowhow.moderation import services
from knowhow.moderation.models import Appeal
from tests.pages import visible_text
from tests.people import make_account

APPEAL = "/appeal/"
QUEUE = "/moderation/"


@pytest.fixture
def deliver(run_worker: Callable[[], None]) -> Callable[[], None]:
    """What the site does once a request's work is committed, then the worker's round."""
    done = len(connection.run_on_commit)

    def run() -> None:
        nonlocal done
        while len(connection.run_on_commit) > done:
            _, callback, _ = connection.run_on_commit[done]
            done += 1
            callback()
        run_worker()

    return run


@pytest.fixture
def banned(db: None, moderator: User) -> User:
    user = make_account("sam")
    services.ban(
        kind=Ban.Kind.ACCOUNT,
        moderator=moderator,
        reason="Insults.",
        reader_reason="Insulting other readers.",
        user=user,
    )
    return user


def test_the_banned_readers_notice_links_to_the_appeal(
    article: Article, banned: User, client: Client
) -> None:
    client.force_login(banned)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{APPEAL}"' in page


def test_an_appeal_lands_in_the_queue_beside_the_ban_and_lifting_it_tells_the_reader(
    banned: User, mod_client: Client, deliver: Callable[[], None]
) -> None:
    client = Client()
    client.force_login(banned)
    sent = client.post(APPEAL, {"text": "I apologised to them.", "send": "1"})
    assert sent.status_code == 200
    assert "Your appeal is with the moderators" in visible_text(sent.content)
    queue = visible_text(mod_client.get(QUEUE).content)
    assert "Appeal against a ban by sam" in queue
    assert "The ban: Account may not post: sam, until lifted — “Insults.”" in queue
    assert "I apologised to them." in queue
    appeal = Appeal.objects.get()
    done = mod_client.post(
        reverse("moderation-decide-appeal", args=[appeal.pk]),
        {"outcome": "lifted", "answer": "Thank you; welcome back."},
        follow=True,
    )
    assert "Ban lifted; the reader is told by email." in visible_text(done.content)
    assert not Ban.objects.active().exists()
    deliver()
    (email,) = [m for m in mail.outbox if "appeal" in m.subject]
    assert email.to == ["sam@example.org"]
    assert "you may post again" in email.body and "Thank you; welcome back." in email.body
    # Sent again (replayed), it changes nothing and says so.
    again = mod_client.post(
        reverse("moderation-decide-appeal", args=[appeal.pk]), {"outcome": "upheld"}, follow=True
    )
    assert "decided on that appeal already" in visible_text(again.content)
    assert Appeal.objects.get().outcome == "lifted"


def test_an_address_ban_appeal_needs_an_email_and_keeps_the_words(
    article: Article, moderator: User, client: Client, deliver: Callable[[], None]
) -> None:
    post = submit_post(article=article, body="Rude.", address=address_of("127.0.0.1")).post
    services.ban(kind=Ban.Kind.ADDRESS, moderator=moderator, reason="Rude.", post=post)
    refused = client.post(APPEAL, {"text": "That was my brother.", "send": "1"})
    assert refused.status_code == 400
    assert "Give an email address" in visible_text(refused.content)
    assert "That was my brother." in refused.content.decode()
    client.post(APPEAL, {"text": "That was my brother.", "email": "me@example.org", "send": "1"})
    appeal = Appeal.objects.get()
    services.decide_appeal(appeal=appeal, moderator=moderator, outcome="upheld")
    deliver()
    (email,) = mail.outbox
    assert email.to == ["me@example.org"] and "stays as it was" in email.body


def test_a_reader_who_is_not_banned_has_nothing_to_appeal(outsider: User, client: Client) -> None:
    client.force_login(outsider)
    refused = client.post(APPEAL, {"text": "Let me in.", "send": "1"})
    assert refused.status_code == 403
    assert "You are not suspended" in visible_text(refused.content)
    assert not Appeal.objects.exists()


def test_one_appeal_at_a_time_and_appeals_are_rate_limited(
    banned: User, client: Client, settings: Any
) -> None:
    client.force_login(banned)
    client.post(APPEAL, {"text": "First.", "send": "1"})
    twice = client.post(APPEAL, {"text": "Second.", "send": "1"})
    assert twice.status_code == 400 and "already with the moderators" in visible_text(twice.content)
    client.post(APPEAL, {"text": "Third.", "send": "1"})
    limited = client.post(APPEAL, {"text": "Fourth, kept.", "send": "1"})
    assert limited.status_code == 429 and "Too many appeals" in visible_text(limited.content)
    assert "Fourth, kept." in limited.content.decode()
    assert Appeal.objects.count() == 1


def test_enter_in_the_appeal_sends_nothing(banned: User, client: Client) -> None:
    client.force_login(banned)
    kept = client.post(APPEAL, {"text": "Half written", "check": "1"})
    assert "Half written" in kept.content.decode() and not Appeal.objects.exists()


@pytest.fixture
def removed(article: Article, reader: User, moderator: User) -> Post:
    post = submit_post(
        article=article, body="Ice helps cramps.", author=reader, address=address_of("203.0.113.9")
    ).post
    return services.remove_post(post=post, moderator=moderator, note="Off topic")


def second_look(post: Post) -> str:
    return reverse("post-second-look", args=[post.article.slug, post.number])


def test_the_author_asks_once_for_a_second_look_and_the_post_comes_back(
    article: Article,
    removed: Post,
    reader: User,
    mod_client: Client,
    deliver: Callable[[], None],
) -> None:
    client = Client()
    client.force_login(reader)
    thread = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{second_look(removed)}"' in thread
    asked = client.post(second_look(removed), {"text": "It was on topic.", "send": "1"})
    assert asked.status_code == 302
    again = client.post(second_look(removed), {"text": "Please.", "send": "1"})
    assert again.status_code == 400 and "a post gets one" in visible_text(again.content)
    queue = visible_text(mod_client.get(QUEUE).content)
    assert "Second look at a removed post by reader" in queue and "It was on topic." in queue
    appeal = Appeal.objects.get()
    mod_client.post(reverse("moderation-decide-appeal", args=[appeal.pk]), {"outcome": "restored"})
    removed.refresh_from_db()
    assert removed.status == Post.Status.PUBLISHED and removed.number == 1
    assert "Ice helps cramps." in client.get(article.get_absolute_url()).content.decode()
    deliver()
    (email,) = [m for m in mail.outbox if "appeal" in m.subject]
    assert email.to == ["reader@example.org"] and "is back, at its place" in email.body


def test_only_the_author_may_ask_for_a_second_look(
    removed: Post, outsider: User, client: Client
) -> None:
    assert client.get(second_look(removed)).status_code == 302  # signed out: sign in first
    client.force_login(outsider)
    refused = client.post(second_look(removed), {"text": "Mine really.", "send": "1"})
    assert refused.status_code == 403 and not Appeal.objects.exists()


def test_a_published_post_needs_no_second_look(
    article: Article, reader: User, client: Client
) -> None:
    post = submit_post(
        article=article, body="Fine.", author=reader, address=address_of("203.0.113.9")
    ).post
    client.force_login(reader)
    refused = client.post(second_look(post), {"text": "Look.", "send": "1"})
    assert refused.status_code == 400 and "not removed" in visible_text(refused.content)
