"""A reader's page for moderators: every post in every status with why, the reports they
made and received, their bans, notes and messages, the accounts seen at the same address
(names only), and a ban of account, address and network in one confirmed form. Anonymous
posters have a page keyed by one of their posts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client
from django.urls import reverse

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import submit_post
from knowhow.moderation import services
from knowhow.moderation.models import ModerationAction, ReaderNote
from tests.pages import forms_on, visible_text
from tests.people import make_account

HOME = "203.0.113.66"


def page_of(user: User) -> str:
    return reverse("moderation-reader", args=[user.username])


@pytest.fixture
def spammer(db: None) -> User:
    return make_account("cheapmeds")


def post_as(article: Article, user: User | None, body: str, address: str = HOME) -> Post:
    return submit_post(article=article, body=body, author=user, address=address_of(address)).post


@pytest.fixture
def his_posts(article: Article, spammer: User, moderator: User, report: Any) -> list[Post]:
    """One post in each status, each with its reason in the log."""
    shown = post_as(article, spammer, "A fair question about cramps.")
    removed = services.remove_post(
        post=post_as(article, spammer, "You are all idiots."), moderator=moderator, note="Rude."
    )
    spam = services.mark_spam(
        post=post_as(article, spammer, "Cheap meds at example.test"),
        moderator=moderator,
        note="Pill shop.",
    )
    reported = post_as(article, spammer, "Drink seawater for cramps.")
    report(reported, times=3, reason="harmful", note="Dangerous advice")
    return [shown, removed, spam, reported]


def test_every_post_in_every_status_shows_with_why(
    his_posts: list[Post], spammer: User, mod_client: Client
) -> None:
    text = visible_text(mod_client.get(page_of(spammer)).content)
    assert "Reader cheapmeds" in text
    assert "Posts (4, every status)" in text
    for body in ("A fair question", "You are all idiots.", "Cheap meds at", "Drink seawater"):
        assert body in text
    assert "Removed by a moderator Why: Removed by moderator: Rude." in text
    assert "Spam Why: Marked as spam by moderator: Pill shop." in text
    assert "Awaiting moderation Why: reported by 3 readers" in text
    assert "Dangerous health advice on Post 4" in text  # a report received, with its post


def test_the_public_page_still_shows_only_published_posts(
    his_posts: list[Post], spammer: User, client: Client
) -> None:
    text = visible_text(client.get(reverse("reader", args=[spammer.username])).content)
    assert "A fair question" in text and "You are all idiots." not in text


def test_reports_they_made_and_their_bans_are_listed(
    article: Article, his_posts: list[Post], spammer: User, moderator: User, mod_client: Client
) -> None:
    other = post_as(article, None, "An honest anonymous post.", address="198.51.100.9")
    services.flag_post(
        post=other, reason="abuse", note="Not nice", reporter=spammer, address=address_of(HOME)
    )
    services.ban(kind=Ban.Kind.ACCOUNT, moderator=moderator, reason="Pills again.", user=spammer)
    text = visible_text(mod_client.get(page_of(spammer)).content)
    assert "Made by them Abusive or hateful on Post 5" in text and "“Not nice”" in text
    assert "Account may not post: cheapmeds, until lifted" in text and "“Pills again.”" in text


def test_a_removal_is_undone_from_the_reader_page(
    his_posts: list[Post], spammer: User, mod_client: Client
) -> None:
    page = mod_client.get(page_of(spammer)).content.decode()
    removed = his_posts[1]
    entry = ModerationAction.objects.get(post=removed, action="remove")
    link = reverse("moderation-undo", args=[entry.pk])
    assert f'href="{link}?next=' in page
    done = mod_client.post(
        link, {"undo": "1", "note": "Was fair.", "next": page_of(spammer)}, follow=True
    )
    assert done.redirect_chain[-1][0] == page_of(spammer)
    removed.refresh_from_db()
    assert removed.status == Post.Status.PUBLISHED
    assert "Published Why: Undone by moderator: Was fair." in visible_text(done.content)


def test_accounts_at_the_same_address_are_named_but_the_address_never_shown(
    article: Article, his_posts: list[Post], spammer: User, mod_client: Client
) -> None:
    post_as(article, make_account("cheapmeds2"), "Me again.")
    post_as(article, make_account("neighbour"), "Elsewhere.", address="192.0.2.10")
    page = mod_client.get(page_of(spammer)).content.decode()
    text = visible_text(page)
    assert "Accounts at the same address" in text
    assert "cheapmeds2" in text and "neighbour" not in text
    assert HOME not in page and his_posts[0].ip_hash not in page
    assert his_posts[0].network_hash not in page


def test_notes_are_added_and_listed_and_an_empty_one_refused(
    spammer: User, mod_client: Client
) -> None:
    address = reverse("moderation-reader-note", args=[spammer.username])
    refused = mod_client.post(address, {"body": "  ", "add": "1"})
    assert refused.status_code == 400 and "Write the note first." in visible_text(refused.content)
    # Enter in the box presses the hidden first button: the words stay, nothing is saved.
    kept = mod_client.post(address, {"body": "Three accounts, one shop.", "check": "1"})
    assert "Three accounts, one shop." in kept.content.decode()
    assert not ReaderNote.objects.exists()
    done = mod_client.post(address, {"body": "Three accounts, one shop.", "add": "1"}, follow=True)
    assert "Note by moderator" in visible_text(done.content)
    assert "Three accounts, one shop." in visible_text(done.content)


def test_a_message_reaches_the_reader_by_email_through_the_queue(
    spammer: User,
    mod_client: Client,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    address = reverse("moderation-message", args=[spammer.username])
    with django_capture_on_commit_callbacks(execute=True):
        sent = mod_client.post(
            address,
            {"subject": "Your links", "body": "Please stop posting shop links.", "send": "1"},
        )
    assert sent.status_code == 302
    assert mail.outbox == []  # queued, not sent by the page
    run_worker()
    (email,) = mail.outbox
    assert email.to == ["cheapmeds@example.org"] and "Your links" in email.subject
    assert "Please stop posting shop links." in email.body
    text = visible_text(mod_client.get(page_of(spammer)).content)
    assert "Message emailed: “Your links” by moderator" in text
    assert "waiting to be sent" not in text


def test_a_reader_without_email_cannot_be_messaged_and_the_words_stay(
    spammer: User, mod_client: Client
) -> None:
    User.objects.filter(pk=spammer.pk).update(email="")
    refused = mod_client.post(
        reverse("moderation-message", args=[spammer.username]),
        {"subject": "Hi", "body": "A long careful message.", "send": "1"},
    )
    assert refused.status_code == 400
    assert "has no email address on record" in visible_text(refused.content)
    assert "A long careful message." in refused.content.decode()
    assert not ReaderNote.objects.exists()


def test_account_address_and_network_are_banned_at_once_after_confirming(
    article: Article, his_posts: list[Post], spammer: User, mod_client: Client
) -> None:
    (form,) = [
        f for f in forms_on(mod_client.get(page_of(spammer)).content) if f.action.endswith("/ban/")
    ]
    data = {
        "reader-username": "cheapmeds",
        "reader-kinds": ["account", "address", "network"],
        "reader-reason": "Pill shop.",
        "reader-expires": "30",
        "reader-remove_posts": "on",
        "review": "1",
    }
    asked = mod_client.post(form.action, data)
    text = visible_text(asked.content)
    assert "Remove 2 posts and ban cheapmeds" in text and "for 30 days?" in text
    assert not Ban.objects.exists()
    (confirm,) = [f for f in forms_on(asked.content) if "confirm" in dict(f.buttons)]
    done = mod_client.post(form.action, {**dict(confirm.hidden), "confirm": "yes"}, follow=True)
    assert done.redirect_chain[-1][0] == page_of(spammer)
    assert sorted(Ban.objects.active().values_list("kind", flat=True)) == [
        "account",
        "address",
        "network",
    ]
    assert not Post.objects.filter(author=spammer, status__in=["published", "held"]).exists()
    # Sent again (a replayed confirmation): the page says so and bans nobody twice.
    again = mod_client.post(form.action, {**dict(confirm.hidden), "confirm": "yes"})
    assert again.status_code == 409 and "Already banned" in visible_text(again.content)
    assert Ban.objects.count() == 3


def test_a_ban_form_for_another_reader_is_refused(
    his_posts: list[Post], spammer: User, mod_client: Client
) -> None:
    make_account("bystander")
    refused = mod_client.post(
        reverse("moderation-reader-ban", args=["cheapmeds"]),
        {
            "reader-username": "bystander",
            "reader-kinds": ["account"],
            "reader-reason": "Mixed up.",
            "reader-expires": "7",
            "confirm": "yes",
        },
    )
    assert refused.status_code == 400 and "another reader" in visible_text(refused.content)
    assert not Ban.objects.exists()


def test_an_anonymous_posters_page_lists_their_posts_from_the_same_address(
    article: Article, moderator: User, mod_client: Client
) -> None:
    first = post_as(article, None, "Anonymous one.")
    services.remove_post(
        post=post_as(article, None, "Anonymous two, rude."), moderator=moderator, note="Rude."
    )
    post_as(article, None, "Someone else entirely.", address="192.0.2.77")
    page = mod_client.get(reverse("moderation-poster", args=[first.pk])).content.decode()
    text = visible_text(page)
    assert "Anonymous poster of Post 1" in text
    assert "Anonymous one." in text and "Anonymous two, rude." in text
    assert "Removed by a moderator Why: Removed by moderator: Rude." in text
    assert "Someone else entirely." not in text
    assert first.ip_hash not in page


def test_an_accounts_post_leads_to_the_account_page(
    his_posts: list[Post], spammer: User, mod_client: Client
) -> None:
    response = mod_client.get(reverse("moderation-poster", args=[his_posts[0].pk]))
    assert response.status_code == 302 and response["Location"] == page_of(spammer)


def test_queue_items_and_log_rows_link_to_the_readers_page(
    article: Article,
    his_posts: list[Post],
    spammer: User,
    mod_client: Client,
    held_post: Callable[..., Post],
) -> None:
    anonymous = held_post(article)
    queue = mod_client.get(reverse("moderation-queue")).content.decode()
    assert f'href="{page_of(spammer)}"' in queue
    assert f'href="{reverse("moderation-poster", args=[anonymous.pk])}"' in queue
    log = mod_client.get(reverse("moderation-log")).content.decode()
    assert f'href="{page_of(spammer)}"' in log


def test_the_thread_links_moderators_to_the_poster(
    article: Article, his_posts: list[Post], spammer: User, mod_client: Client
) -> None:
    page = mod_client.get(article.get_absolute_url()).content.decode()
    assert f'href="{page_of(spammer)}"' in page
