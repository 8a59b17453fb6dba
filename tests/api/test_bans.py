"""Bans through the API as the moderation pages make them: of an address or a network (from
a post, or a reader's latest post), of a range; the bans in force; lifting one. Each is
logged as the page's is, and a lifted shadow-ban shows the reader's posts at once, through
the page cache too."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.api import schemas
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import PostRefused, submit_post
from knowhow.moderation import services
from knowhow.moderation.models import ModerationAction
from tests import people
from tests.api.conftest import TokenClient
from tests.pagecache.conftest import Clock, Server

BANS = "/api/v1/moderation/bans/"


def _can_post(article: Article, address: str, author: User | None = None) -> bool:
    try:
        submit_post(article=article, body=f"From {address}.", address=address_of(address),
                    author=author)  # fmt: skip
    except PostRefused as refusal:
        assert refusal.code == "banned"
        return False
    return True


def _logged(entry: ModerationAction) -> tuple[Any, ...]:
    """What a log entry says, whoever wrote it and whatever it was about."""
    ban = entry.ban
    return (entry.action, entry.note, entry.before, entry.after, entry.previous_status,
            ban.kind if ban else None, ban.reason if ban else None)  # fmt: skip


@pytest.fixture
def bot(moderator: User, make_token: Callable[..., str]) -> TokenClient:
    return TokenClient(make_token(moderator, ("read", "moderate")))


def _post(article: Article, body: str, address: str, author: User | None = None) -> Post:
    return submit_post(article=article, body=body, author=author,
                       address=address_of(address)).post  # fmt: skip


def test_an_address_ban_from_a_post_is_made_and_logged_as_the_page_makes_it(
    article: Article, bot: TokenClient, moderator: User
) -> None:
    by_page, by_api = _post(article, "Spam", "203.0.113.9"), _post(article, "Spam", "192.0.2.4")
    page = Client()
    page.force_login(moderator)
    page.post(reverse("moderation-ban-post", args=[by_page.pk]),
              {"kind": "address", "reason": "Spam.", "expires": "7", "confirm": "yes"})  # fmt: skip
    made = bot.send("POST", BANS, {"post": {"article": article.slug, "number": by_api.number},
                                   "kind": "address", "reason": "Spam.", "days": 7})  # fmt: skip
    assert made.status_code == 201, made.content
    body = made.json()
    schemas.BanMade.model_validate(body)
    assert body["bans"][0]["target"] == f"address of Post 2 on {article.title}"
    assert "hashes" not in body["bans"][0]  # an address is never shown, not even hashed
    assert not _can_post(article, "192.0.2.4")
    assert _can_post(article, "192.0.2.5")
    page_entry, api_entry = ModerationAction.objects.filter(action="ban").order_by("pk")
    assert _logged(page_entry) == _logged(api_entry)
    assert (api_entry.actor, api_entry.post) == (moderator, by_api)


def test_a_network_ban_by_name_takes_the_readers_latest_address(
    article: Article, bot: TokenClient, reader: User
) -> None:
    _post(article, "Signed", "203.0.113.7", reader)
    made = bot.send("POST", BANS, {"username": "reader", "kind": "network"})
    assert made.status_code == 201, made.content
    assert not _can_post(article, "203.0.113.200")
    assert _can_post(article, "203.0.114.1")
    nobody = people.make_reader("quiet")
    refused = bot.send("POST", BANS, {"username": nobody.username, "kind": "address"})
    assert refused.status_code == 400
    assert "no post with an address" in refused.json()["message"]


def test_a_range_ban_its_listing_and_its_lifting(
    article: Article, bot: TokenClient, moderator: User
) -> None:
    made = bot.send("POST", BANS, {"cidr": " 198.51.100.7/24 ", "reason": "Scraper."})
    assert made.status_code == 201, made.content
    record = made.json()["bans"][0]
    assert (record["kind"], record["cidr"], record["in_force"]) == ("range", "198.51.100.0/24",
                                                                     True)  # fmt: skip
    assert not _can_post(article, "198.51.100.99")
    again = bot.send("POST", BANS, {"cidr": "198.51.100.0/24"})
    assert (again.status_code, again.json()["code"]) == (409, "already_banned")
    changed = bot.send("POST", BANS, {"cidr": "198.51.100.0/24", "days": 1, "replace": True})
    assert changed.status_code == 201
    assert changed.json()["bans"][0]["id"] == record["id"]
    assert ModerationAction.objects.filter(action="change_ban").count() == 1
    listed = bot.get(BANS).json()
    schemas.BanList.model_validate(listed)
    assert [b["id"] for b in listed["items"]] == [record["id"]]
    lifted = bot.send("POST", f"{BANS}{record['id']}/lift/", {"note": "Moved on."})
    assert lifted.status_code == 200
    assert lifted.json()["in_force"] is False
    assert _can_post(article, "198.51.100.99")
    assert bot.get(BANS).json()["items"] == []
    entry = ModerationAction.objects.get(action="lift_ban")
    assert (entry.actor, entry.ban_id, entry.note) == (moderator, record["id"], "Moved on.")
    twice = bot.send("POST", f"{BANS}{record['id']}/lift/", {})
    assert (twice.status_code, twice.json()["code"]) == (409, "not_in_force")
    assert bot.send("POST", f"{BANS}999999/lift/", {}).status_code == 404
    assert ModerationAction.objects.filter(action="lift_ban").count() == 1


@pytest.mark.parametrize(
    ("sent", "field"),
    [
        ({"cidr": "the bad people"}, "cidr"),
        ({"cidr": "198.51.100.0/24", "kind": "account"}, "kind"),
        ({"username": "reader", "kind": "range"}, "kind"),
        ({"username": "reader", "cidr": "198.51.100.0/24"}, "username"),
        ({}, "username"),
        ({"post": {"article": "what-is-a-muscle-cramp", "number": 9}}, "post"),
        ({"username": "reader", "kind": "banish"}, "kind"),
    ],
)
def test_a_ban_that_is_not_one_is_refused_naming_the_field_and_nothing_is_banned(
    article: Article, bot: TokenClient, reader: User, sent: dict[str, Any], field: str
) -> None:
    refused = bot.send("POST", BANS, sent)
    assert refused.status_code == 400, refused.content
    assert list(refused.json()["errors"]) == [field]
    assert not Ban.objects.exists()
    assert not ModerationAction.objects.exists()


def test_an_account_ban_from_an_anonymous_post_is_refused(
    article: Article, bot: TokenClient
) -> None:
    post = _post(article, "Anonymous", "203.0.113.9")
    refused = bot.send("POST", BANS, {"post": {"article": article.slug, "number": post.number},
                                      "kind": "account"})  # fmt: skip
    assert refused.status_code == 400
    assert "no account to ban" in refused.json()["message"]


@pytest.fixture
def make_server(transactional_db: None) -> Callable[[], Server]:
    clock = Clock()
    return lambda: Server(clock)


def test_lifting_a_shadow_ban_shows_the_posts_on_the_kept_page_at_once(
    make_server: Callable[[], Server], article: Article, make_token: Callable[..., str]
) -> None:
    one, two = make_server(), make_server()
    reader, moderator = people.make_reader(), people.make_moderator()
    _post(article, "Hidden words of a reader", "203.0.113.7", reader)
    services.ban(kind="shadow", user=reader, moderator=moderator, reason="Testing")
    page = article.get_absolute_url()
    for process in (one, two):
        process.request(page)
        kept = process.request(page)
        assert kept.cache == "HIT"
        assert "Hidden words of a reader" not in kept.text
    shadow = Ban.objects.get()
    lifted = TokenClient(make_token(moderator, ("moderate",))).send(
        "POST", f"{BANS}{shadow.pk}/lift/", {}
    )
    assert lifted.status_code == 200
    for process in (one, two):
        fresh = process.request(page)
        assert fresh.cache == "MISS"
        assert "Hidden words of a reader" in fresh.text
