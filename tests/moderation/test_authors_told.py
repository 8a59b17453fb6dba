"""Authors are told: a removal, rejection or edit of their post emails them the reason (a set
reason, with what the moderator typed beside it), and a ban its length and how to appeal,
through the task queue. Anonymous authors who left no address, spammers and the
shadow-hidden are never mailed, nor anyone when the site turns it off."""

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
from knowhow.moderation.models import CannedReason, ModerationAction
from knowhow.notifications.confirmations import confirm_address
from knowhow.notifications.models import EmailOptOut
from tests.pages import visible_text
from tests.people import make_account

QUEUE = "/moderation/"


@pytest.fixture
def deliver(run_worker: Callable[[], None]) -> Callable[[], None]:
    """What the site does once a request's work is committed (queue the emails), then the
    task worker's round. Tests run inside one transaction that never commits."""
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
def author(db: None) -> User:
    return make_account("sam")


def post_by(article: Article, author: User | None, body: str = "", **extra: Any) -> Post:
    return submit_post(
        article=article,
        body=body or "Cramps come from cold weather.",
        author=author,
        address=address_of("203.0.113.5"),
        **extra,
    ).post


def rudeness() -> CannedReason:
    return CannedReason.objects.get(label="Rudeness")


def test_the_five_set_reasons_are_there_from_the_start(db: None) -> None:
    assert list(CannedReason.objects.values_list("label", flat=True)) == [
        "Spam",
        "Rudeness",
        "Personal data",
        "Off topic",
        "Medical misinformation",
    ]


def test_a_removal_from_the_queue_emails_the_author_the_reason(
    article: Article,
    author: User,
    mod_client: Client,
    report: Any,
    deliver: Callable[[], None],
) -> None:
    post = post_by(article, author, "You are all fools.")
    report(post, times=1)
    queue = mod_client.get(QUEUE).content.decode()
    assert f'<option value="{rudeness().pk}">Rudeness</option>' in queue
    mod_client.post(
        reverse("moderation-post-action", args=[post.pk]),
        {"action": "remove", "canned": rudeness().pk, "note": "calls other readers fools"},
    )
    assert mail.outbox == []  # the page only queues it
    deliver()
    (email,) = mail.outbox
    assert email.to == ["sam@example.org"]
    assert "Your Post 1 on “What is a Muscle Cramp?” was removed" in email.subject
    assert "Reason: Rudeness: calls other readers fools" in email.body
    entry = ModerationAction.objects.get(action="remove")
    assert entry.note == "Rudeness: calls other readers fools"


def test_an_edit_emails_the_reason_without_the_old_words(
    article: Article,
    author: User,
    moderator: User,
    deliver: Callable[[], None],
) -> None:
    post = post_by(article, author, "Call me on 555 0100 for cramps.")
    services.edit_post(post=post, moderator=moderator, body="Cramps.", note="Personal data")
    deliver()
    (email,) = mail.outbox
    assert "was edited" in email.subject and "Reason: Personal data" in email.body
    assert "555 0100" not in email.body


def test_an_anonymous_author_with_an_address_is_told_of_a_rejection(
    article: Article,
    moderator: User,
    hold_anonymous: None,
    deliver: Callable[[], None],
) -> None:
    confirm_address(email="anon@example.org")
    post = post_by(article, None, notify_email="anon@example.org")
    services.reject(post=post, moderator=moderator, note="Off topic")
    deliver()
    # Beside the email asking them to confirm their address for replies:
    (email,) = [m for m in mail.outbox if "Your Post" in m.subject]
    assert email.to == ["anon@example.org"] and "was not published" in email.subject
    assert "Reason: Off topic" in email.body


def test_an_anonymous_author_without_a_confirmed_address_is_never_mailed(
    article: Article,
    moderator: User,
    hold_anonymous: None,
    deliver: Callable[[], None],
) -> None:
    post = post_by(article, None)
    services.reject(post=post, moderator=moderator, note="Off topic")
    # An address typed into the form and never confirmed may be anyone's.
    typed = post_by(article, None, "Mine.", notify_email="someone@example.org")
    services.reject(post=typed, moderator=moderator, note="Off topic")
    shown = post_by(article, None, "Another one.")
    services.approve(post=shown, moderator=moderator)
    services.remove_post(post=shown, moderator=moderator, note="Rudeness")
    deliver()
    # Only the email asking the typed address's owner to confirm it, which says nothing.
    assert [m for m in mail.outbox if "Your Post" in m.subject] == []


def test_spam_marks_and_decisions_undone_in_time_tell_nobody(
    article: Article,
    author: User,
    moderator: User,
    deliver: Callable[[], None],
) -> None:
    services.mark_spam(post=post_by(article, author, "Pills."), moderator=moderator)
    removed = services.remove_post(post=post_by(article, author), moderator=moderator)
    entry = ModerationAction.objects.get(post=removed, action="remove")
    services.undo(entry=entry, moderator=moderator, note="Wrong post.")
    deliver()
    assert mail.outbox == []


def test_an_address_that_asked_for_no_more_email_is_not_told(
    article: Article, author: User, moderator: User, deliver: Callable[[], None]
) -> None:
    EmailOptOut.objects.create(email="sam@example.org")
    services.remove_post(post=post_by(article, author), moderator=moderator, note="Rudeness")
    deliver()
    assert mail.outbox == []


def test_the_site_may_tell_nobody(
    article: Article,
    author: User,
    moderator: User,
    settings: Any,
    deliver: Callable[[], None],
) -> None:
    settings.TELL_AUTHORS = False
    services.remove_post(post=post_by(article, author), moderator=moderator, note="Rudeness")
    deliver()
    assert mail.outbox == []


def test_a_ban_sends_one_email_with_its_length_and_how_to_appeal(
    article: Article,
    author: User,
    moderator: User,
    deliver: Callable[[], None],
) -> None:
    post_by(article, author)
    services.ban_reader(
        kinds=["account", "address", "network"],
        moderator=moderator,
        reason="Insults everyone.",
        reader_reason="Insulting other readers.",
        user=author,
        expires_at=None,
        remove_posts=True,
    )
    deliver()
    (email,) = mail.outbox
    assert email.to == ["sam@example.org"]
    assert "You may not post until lifted" in email.subject
    assert "Reason: Insulting other readers." in email.body
    assert "Insults everyone." not in email.body  # the moderators' own reason stays theirs
    assert "1 of your posts was taken down" in email.body
    assert "To appeal, fill in the short form at http" in email.body and "/appeal/" in email.body


def test_shadow_hiding_is_never_told(
    author: User, moderator: User, deliver: Callable[[], None]
) -> None:
    services.ban(kind=Ban.Kind.SHADOW, moderator=moderator, reason="Troll.", user=author)
    deliver()
    assert mail.outbox == []


def test_a_set_reason_in_a_ban_is_what_the_reader_is_shown(
    article: Article, author: User, mod_client: Client
) -> None:
    post_by(article, author)
    data = {
        "reader-username": "sam",
        "reader-kinds": ["account"],
        "reader-canned": rudeness().pk,
        "reader-reason": "",
        "reader-reader_reason": "",
        "reader-expires": "7",
        "confirm": "yes",
    }
    mod_client.post(reverse("moderation-reader-ban", args=["sam"]), data)
    ban = Ban.objects.get()
    assert ban.reason == "Rudeness" and ban.reader_reason == "Rudeness"


def test_bulk_decisions_take_a_set_reason(
    article: Article, moderator: User, mod_client: Client, held_post: Callable[..., Post]
) -> None:
    posts = [held_post(article), held_post(article)]
    mod_client.post(
        reverse("moderation-bulk"),
        {
            "action": "reject",
            "post": [p.pk for p in posts],
            "canned": CannedReason.objects.get(label="Off topic").pk,
            "note": "",
            "apply": "1",
        },
    )
    notes = set(ModerationAction.objects.filter(action="reject").values_list("note", flat=True))
    assert notes == {"Off topic"}


def test_the_thread_offers_set_reasons_to_moderators(
    article: Article, author: User, mod_client: Client
) -> None:
    post_by(article, author)
    page = mod_client.get(article.get_absolute_url()).content.decode()
    assert 'id="mod-canned-1"' in page and "Medical misinformation" in page


def test_moderators_add_and_remove_set_reasons(mod_client: Client) -> None:
    address = reverse("moderation-reasons")
    added = mod_client.post(address, {"label": "Trolling", "add": "1"}, follow=True)
    assert "Added the set reason “Trolling”." in visible_text(added.content)
    again = mod_client.post(address, {"label": "trolling", "add": "1"})
    assert again.status_code == 400 and "is a set reason already" in visible_text(again.content)
    assert 'value="trolling"' in again.content.decode()  # what was typed stays
    # Enter in the box presses the hidden first button: nothing is added, the words stay.
    kept = mod_client.post(address, {"label": "Baiting", "check": "1"})
    assert 'value="Baiting"' in kept.content.decode()
    assert not CannedReason.objects.filter(label="Baiting").exists()
    trolling = CannedReason.objects.get(label="Trolling")
    mod_client.post(reverse("moderation-remove-reason", args=[trolling.pk]))
    assert not CannedReason.objects.filter(label="Trolling").exists()
