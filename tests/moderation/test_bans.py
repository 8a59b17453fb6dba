"""Bans from the queue (account, shadow, address, network) and the bans page (ranges, lifting)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import PostRefused, submit_post
from knowhow.moderation.models import ModerationAction
from tests.pages import visible_text

BANS = "/moderation/bans/"


def ban_from(client: Client, post: Post, kind: str, expires: str = "7", reason: str = "Spam."):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("moderation-ban-post", args=[post.pk]),
        {"kind": kind, "reason": reason, "expires": expires, "confirm": "yes"},
        follow=True,
    )


def offered_kinds(html: str) -> list[str]:
    return re.findall(r'name="kind" value="(\w+)"', html)


def can_post(article: Article, address: str, author: User | None = None) -> bool:
    try:
        submit_post(
            article=article,
            body=f"Trying from {address}.",
            address=address_of(address),
            author=author,
        )
    except PostRefused as refusal:
        assert refusal.code == "banned"
        return False
    return True


@pytest.fixture
def signed_post(article: Article, reader: User) -> Post:
    return submit_post(
        article=article, body="Signed spam.", author=reader, address=address_of("203.0.113.7")
    ).post


@pytest.fixture
def anonymous_post(article: Article) -> Post:
    return submit_post(
        article=article, body="Anonymous spam.", address=address_of("203.0.113.9")
    ).post


def test_ban_form_offers_the_account_only_when_the_post_has_one(
    mod_client: Client, signed_post: Post, anonymous_post: Post
) -> None:
    signed = mod_client.get(reverse("moderation-ban-post", args=[signed_post.pk])).content.decode()
    assert offered_kinds(signed) == ["account", "shadow", "address", "network"]
    assert "The account reader: it may not post" in visible_text(signed)
    anonymous = mod_client.get(
        reverse("moderation-ban-post", args=[anonymous_post.pk])
    ).content.decode()
    assert offered_kinds(anonymous) == ["address", "network"]
    assert re.findall(r'name="expires" value="(\w+)"', anonymous) == ["1", "7", "30", "never"]


def test_account_ban_stops_the_account_posting(
    article: Article, mod_client: Client, signed_post: Post, reader: User
) -> None:
    response = ban_from(mod_client, signed_post, "account")
    assert response.redirect_chain == [("/moderation/", 302)]
    assert "Banned reader (account may not post) until" in visible_text(response.content)
    ban = Ban.objects.get()
    assert ban.user == reader and ban.source_post == signed_post and ban.reason == "Spam."
    assert not can_post(article, "192.0.2.1", author=reader)
    # The address the account posted from is barred with it; others are not.
    assert not can_post(article, "203.0.113.7")
    assert can_post(article, "203.0.113.70")
    entry = ModerationAction.objects.get(action=ModerationAction.Action.BAN)
    assert entry.ban == ban and entry.post == signed_post


def test_shadow_ban_hides_the_accounts_posts_from_everyone_else(
    article: Article, mod_client: Client, signed_post: Post, reader: User
) -> None:
    ban_from(mod_client, signed_post, "shadow")
    signed_post.refresh_from_db()
    assert signed_post.shadow
    assert "Signed spam." not in visible_text(Client().get(article.get_absolute_url()).content)
    assert can_post(article, "192.0.2.1", author=reader)


def test_address_ban_stops_that_address_only(
    article: Article, mod_client: Client, anonymous_post: Post
) -> None:
    text = visible_text(ban_from(mod_client, anonymous_post, "address").content)
    assert "Banned address of Post 1 on What is a Muscle Cramp? (address may not post)" in text
    assert not can_post(article, "203.0.113.9")
    assert can_post(article, "203.0.113.10")


def test_network_ban_stops_the_whole_network(
    article: Article, mod_client: Client, anonymous_post: Post
) -> None:
    ban_from(mod_client, anonymous_post, "network")
    assert not can_post(article, "203.0.113.200")
    assert can_post(article, "198.51.100.1")


@pytest.mark.parametrize(("choice", "days"), [("1", 1), ("7", 7), ("30", 30), ("never", None)])
def test_ban_lasts_as_long_as_chosen(
    choice: str, days: int | None, mod_client: Client, anonymous_post: Post
) -> None:
    ban_from(mod_client, anonymous_post, "address", expires=choice)
    ban = Ban.objects.get()
    if days is None:
        assert ban.expires_at is None
    else:
        assert ban.expires_at is not None
        expected = timezone.now() + dt.timedelta(days=days)
        assert abs(ban.expires_at - expected) < dt.timedelta(minutes=1)


def test_account_ban_cannot_be_forced_on_an_anonymous_post(
    mod_client: Client, anonymous_post: Post
) -> None:
    response = ban_from(mod_client, anonymous_post, "account")
    assert response.status_code == 400
    assert not Ban.objects.exists()


def test_bans_page_names_who_is_banned_and_never_shows_hashes(
    mod_client: Client, signed_post: Post, anonymous_post: Post
) -> None:
    ban_from(mod_client, signed_post, "account", reason="Adverts.")
    ban_from(mod_client, anonymous_post, "network", expires="never", reason="Bot farm.")
    mod_client.post(
        BANS, {"cidr": "192.0.2.0/24", "reason": "Scraper.", "expires": "30", "confirm": "yes"}
    )
    html = mod_client.get(BANS).content.decode()
    text = visible_text(html)
    assert "Network may not post network of Post 2 on What is a Muscle Cramp? Bot farm." in text
    assert "Address range may not post 192.0.2.0/24 Scraper. moderator" in text
    assert "Account may not post reader Adverts. moderator" in text
    assert "never ends" in text
    for post in (signed_post, anonymous_post):
        assert post.ip_hash not in html and post.network_hash not in html


def test_moderator_bans_a_typed_range(article: Article, mod_client: Client) -> None:
    response = mod_client.post(
        BANS,
        {"cidr": " 198.51.100.7/24 ", "reason": "Scraper.", "expires": "1", "confirm": "yes"},
        follow=True,
    )
    assert response.redirect_chain == [(BANS, 302)]
    assert "Banned 198.51.100.0/24 (address range may not post) until" in visible_text(
        response.content
    )
    assert not can_post(article, "198.51.100.99")
    assert can_post(article, "198.51.101.1")


def test_range_that_is_not_a_range_is_refused_and_kept(mod_client: Client) -> None:
    response = mod_client.post(
        BANS, {"cidr": "the bad people", "reason": "", "expires": "7", "confirm": "yes"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "is not an address range such as 203.0.113.0/24" in visible_text(html)
    assert 'value="the bad people"' in html
    assert not Ban.objects.exists()


def test_lifting_a_ban_lets_the_reader_post_again_and_is_logged(
    article: Article, mod_client: Client, signed_post: Post, reader: User
) -> None:
    ban_from(mod_client, signed_post, "shadow")
    ban = Ban.objects.get()
    response = mod_client.post(reverse("moderation-lift-ban", args=[ban.pk]), follow=True)
    assert response.redirect_chain == [(BANS, 302)]
    text = visible_text(response.content)
    assert "Lifted the ban on reader." in text
    assert "No bans are in force." in text
    signed_post.refresh_from_db()
    assert not signed_post.shadow
    assert ModerationAction.objects.filter(action=ModerationAction.Action.LIFT_BAN).exists()
    again = mod_client.post(reverse("moderation-lift-ban", args=[ban.pk]))
    assert again.status_code == 404
