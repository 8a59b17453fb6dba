"""Ban anyone by name from the bans page: the account, and the address and network of its
latest post, with a length and its posts taken down, after a confirmation that says what
will happen. A reader banned already is not banned twice: the page says so and offers to
change the ban in force."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import PostRefused, submit_post
from knowhow.moderation import services
from knowhow.moderation.models import ModerationAction
from tests.pages import forms_on, visible_text
from tests.people import make_account, make_moderator

BANS = "/moderation/bans/"
Action = ModerationAction.Action


@pytest.fixture
def spammer(db: None) -> User:
    return make_account("cheapmeds")


@pytest.fixture
def his_posts(article: Article, spammer: User, moderator: User) -> list[Post]:
    """Four posts from one address; two already marked as spam, so the queue shows nothing."""
    posts = [
        submit_post(
            article=article,
            body=f"Cheap meds, offer {n}.",
            author=spammer,
            address=address_of("203.0.113.66"),
        ).post  # fmt: skip
        for n in range(4)
    ]
    for post in posts[:2]:
        services.mark_spam(post=post, moderator=moderator)
    return posts


def by_name(**fields: object) -> dict[str, object]:
    terms: dict[str, object] = {
        "reader-username": "cheapmeds",
        "reader-kinds": ["account"],
        "reader-reason": "Selling pills.",
        "reader-expires": "7",
    }
    return terms | {f"reader-{k}": v for k, v in fields.items()}


def can_post(article: Article, address: str, author: User | None = None) -> bool:
    try:
        submit_post(
            article=article, body="Trying again.", address=address_of(address), author=author
        )
    except PostRefused as refusal:
        assert refusal.code == "banned"
        return False
    return True


def confirmation(client: Client, data: dict[str, object]) -> tuple[str, dict[str, object]]:
    """The confirmation a ban asks for: its text, and the answers it carries."""
    asked = client.post(BANS, {**data, "review": "1"})
    assert asked.status_code == 200
    (form,) = [f for f in forms_on(asked.content) if "confirm" in dict(f.buttons)]
    return visible_text(asked.content), dict(form.hidden)


def test_the_bans_page_offers_a_ban_by_name(mod_client: Client) -> None:
    text = visible_text(mod_client.get(BANS).content)
    assert "Ban a reader by name" in text and "Account name" in text
    assert "The address of its latest post" in text and "Also remove their posts" in text


def test_a_spammer_is_banned_by_name_after_his_posts_are_gone(
    article: Article, his_posts: list[Post], spammer: User, mod_client: Client
) -> None:
    data = by_name(kinds=["account", "address", "network"], remove_posts="on")
    text, hidden = confirmation(mod_client, data)
    last = his_posts[-1].number
    assert (
        f"Remove 2 posts and ban cheapmeds, the address of Post {last} on What is a Muscle "
        f"Cramp? and the network of Post {last} on What is a Muscle Cramp? for 7 days?"
    ) in text
    assert Ban.objects.count() == 0

    done = mod_client.post(BANS, {**hidden, "confirm": "yes"}, follow=True)
    assert "took down 2 of their posts" in visible_text(done.content)
    assert sorted(Ban.objects.active().values_list("kind", flat=True)) == [
        "account",
        "address",
        "network",
    ]
    statuses = set(Post.objects.filter(author=spammer).values_list("status", flat=True))
    assert statuses == {Post.Status.SPAM, Post.Status.REMOVED}
    assert not can_post(article, "203.0.113.9", author=spammer)  # the account
    assert not can_post(article, "203.0.113.66")  # his address, anonymously
    assert not can_post(article, "203.0.113.70")  # his network
    assert can_post(article, "198.51.100.1")


def test_an_unknown_name_is_refused_with_what_was_typed(mod_client: Client) -> None:
    refused = mod_client.post(BANS, {**by_name(username="nobody"), "review": "1"})
    assert refused.status_code == 400
    assert "No account is named “nobody”." in visible_text(refused.content)
    assert "Selling pills." in refused.content.decode()
    assert Ban.objects.count() == 0


def test_account_and_shadow_at_once_is_refused(spammer: User, mod_client: Client) -> None:
    refused = mod_client.post(BANS, {**by_name(kinds=["account", "shadow"]), "review": "1"})
    assert refused.status_code == 400
    assert "Ban the account or shadow-hide it, not both" in visible_text(refused.content)


def test_an_address_ban_needs_a_post_with_an_address(spammer: User, mod_client: Client) -> None:
    refused = mod_client.post(BANS, {**by_name(kinds=["address"]), "review": "1"})
    assert "cheapmeds has no post with an address on record" in visible_text(refused.content)
    assert Ban.objects.count() == 0


def test_banning_a_banned_reader_says_so_and_changes_the_ban_in_force(
    spammer: User, moderator: User, mod_client: Client
) -> None:
    services.ban(
        kind=Ban.Kind.ACCOUNT, moderator=moderator, reason="Rude.", user=spammer,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )  # fmt: skip
    text, hidden = confirmation(mod_client, by_name(expires="30"))
    assert "Already banned" in text
    assert "Already in force: cheapmeds (account may not post) until" in text
    assert "for “Rude.” Change that ban to last 30 days from now?" in text
    assert "Change the existing ban" in text and "Yes, ban" not in text

    mod_client.post(BANS, {**hidden, "confirm": "change"})
    (ban,) = Ban.objects.active()
    assert ban.expires_at is not None
    assert ban.expires_at > timezone.now() + dt.timedelta(days=29)
    assert ban.reason == "Selling pills."
    changed = ModerationAction.objects.get(action=Action.CHANGE_BAN)
    assert changed.ban == ban and "Rude." in changed.before and "Selling pills." in changed.after


def test_a_replayed_confirmation_bans_once_and_offers_the_change(
    spammer: User, mod_client: Client
) -> None:
    _, hidden = confirmation(mod_client, by_name())
    assert mod_client.post(BANS, {**hidden, "confirm": "yes"}).status_code == 302
    again = mod_client.post(BANS, {**hidden, "confirm": "yes"})
    assert again.status_code == 409
    text = visible_text(again.content)
    assert "Already banned: cheapmeds (account may not post) until " in text
    assert ", for “Selling pills.”. Nothing was changed" in text
    assert "Nothing was changed" in text and "Change the existing ban" in text
    assert Ban.objects.active().count() == 1
    assert ModerationAction.objects.filter(action=Action.BAN).count() == 1


def test_banning_from_a_post_of_a_banned_reader_offers_the_change_too(
    article: Article, his_posts: list[Post], spammer: User, moderator: User, mod_client: Client
) -> None:
    services.ban(kind=Ban.Kind.ACCOUNT, moderator=moderator, reason="Rude.", user=spammer)
    url = reverse("moderation-ban-post", args=[his_posts[-1].pk])
    asked = mod_client.post(url, {"kind": "account", "reason": "", "expires": "7", "review": "1"})
    text = visible_text(asked.content)
    assert "cheapmeds (account may not post) until lifted, for “Rude.”" in text
    assert "Change that ban to last 7 days from now?" in text


def test_a_ban_by_name_is_undone_from_the_log_with_its_posts(
    article: Article, his_posts: list[Post], spammer: User, mod_client: Client
) -> None:
    _, hidden = confirmation(mod_client, by_name(remove_posts="on"))
    mod_client.post(BANS, {**hidden, "confirm": "yes"})
    entry = ModerationAction.objects.get(action=Action.BAN)
    mod_client.post(reverse("moderation-undo", args=[entry.pk]), {"undo": "1", "note": "Wrong."})
    assert not Ban.objects.active().exists()
    statuses = set(Post.objects.filter(author=spammer).values_list("status", flat=True))
    assert statuses == {Post.Status.SPAM, Post.Status.PUBLISHED}


@pytest.mark.django_db(transaction=True)
def test_two_moderators_banning_the_same_reader_at_once_make_one_ban(spammer: User) -> None:
    moderators = [make_moderator("first"), make_moderator("second")]
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def press(who: User) -> None:
        try:
            start.wait()
            services.ban(kind=Ban.Kind.ACCOUNT, moderator=who, reason="Spam.", user=spammer)
            outcomes.append("banned")
        except services.AlreadyBanned as refusal:
            outcomes.append(str(refusal.code))
        finally:
            connection.close()

    workers = [threading.Thread(target=press, args=(who,)) for who in moderators]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(outcomes) == ["already_banned", "banned"]
    assert Ban.objects.active().count() == 1
