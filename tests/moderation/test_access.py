"""Only moderators reach the moderation pages: others are sent to sign in, or refused."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import services
from knowhow.moderation.models import Appeal, CannedReason, ModerationAction, ReaderNote
from tests.people import make_account

PAGES = [
    "moderation-queue",
    "moderation-edit",
    "moderation-ban-post",
    "moderation-bans",
    "moderation-blocklist",
    "moderation-log",
    "moderation-dashboard",
    "moderation-undo-post",
    "moderation-undo",
    "moderation-reader",
    "moderation-poster",
    "moderation-message",
    "moderation-reader-ban",
    "moderation-reasons",
]
POSTS = [
    ("moderation-bulk", {"action": "approve", "post": "{post}", "apply": "1"}),
    ("moderation-post-action", {"action": "approve"}),
    ("moderation-edit", {"body": "Vandalised.", "note": "because", "save": "1"}),
    (
        "moderation-ban-post",
        {"kind": "address", "reason": "x", "expires": "never", "confirm": "yes"},
    ),
    (
        "moderation-bans",
        {"cidr": "192.0.2.0/24", "reason": "x", "expires": "never", "confirm": "yes"},
    ),
    ("moderation-lift-ban", {}),
    ("moderation-blocklist", {"kind": "word", "value": "casino", "block": "1"}),
    ("moderation-unblock", {}),
    ("moderation-undo", {"undo": "1", "note": "put it back"}),
    ("moderation-reader-note", {"body": "Sells pills.", "add": "1"}),
    ("moderation-reasons", {"label": "Trolling", "add": "1"}),
    ("moderation-decide-appeal", {"outcome": "lifted", "answer": "Fine."}),
    ("moderation-remove-reason", {}),
    ("moderation-message", {"subject": "Hello", "body": "Please stop.", "send": "1"}),
    (
        "moderation-reader-ban",
        {
            "reader-username": "author",
            "reader-kinds": "account",
            "reader-reason": "x",
            "reader-expires": "never",
            "confirm": "yes",
        },
    ),
]


def test_every_moderation_address_is_in_these_tests() -> None:
    """A new moderation page or action must join PAGES or POSTS, so its refusals are tested."""
    patterns = get_resolver("knowhow.moderation.urls").url_patterns
    names = {p.name for p in patterns if isinstance(p, URLPattern)}
    assert len(names) == len(patterns), "every moderation URL pattern needs a name"
    tested = set(PAGES) | {name for name, _ in POSTS}
    assert names - tested == set(), "moderation URLs missing from the access tests"
    assert tested - names == set(), "access tests for URLs that no longer exist"


@pytest.fixture
def things(article: Article, moderator: User, held_post: Callable[..., Post]) -> dict[str, Any]:
    post = held_post(article)
    ban = services.ban(kind=Ban.Kind.RANGE, moderator=moderator, reason="r", cidr="10.0.0.0/8")
    term = services.block_term(kind="word", value="lottery", moderator=moderator)
    removed = services.remove_post(
        post=post_comment(article=article, body="Removed.", author=moderator), moderator=moderator
    )
    entry = ModerationAction.objects.get(post=removed, action=ModerationAction.Action.REMOVE)
    author = make_account("author")
    appeal = services.appeal_ban(ban_record=ban, user=None, email="a@example.org", text="Sorry.")
    return {
        "post": post,
        "ban": ban,
        "term": term,
        "removed": removed,
        "entry": entry,
        "author": author,
        "appeal": appeal,
    }


def url(name: str, things: dict[str, Any]) -> str:
    if name in ("moderation-edit", "moderation-ban-post", "moderation-post-action"):
        return reverse(name, args=[things["post"].pk])
    if name == "moderation-lift-ban":
        return reverse(name, args=[things["ban"].pk])
    if name == "moderation-unblock":
        return reverse(name, args=[things["term"].pk])
    if name == "moderation-undo-post":
        return reverse(name, args=[things["removed"].pk])
    if name == "moderation-undo":
        return reverse(name, args=[things["entry"].pk])
    if name == "moderation-decide-appeal":
        return reverse(name, args=[things["appeal"].pk])
    if name == "moderation-remove-reason":
        return reverse(name, args=[CannedReason.objects.first().pk])  # type: ignore[union-attr]
    if name == "moderation-poster":
        return reverse(name, args=[things["post"].pk])
    if name in ("moderation-reader", "moderation-reader-note", "moderation-message",
                "moderation-reader-ban"):  # fmt: skip
        return reverse(name, args=[things["author"].username])
    return reverse(name)


def data(fields: dict[str, str], things: dict[str, Any]) -> dict[str, str]:
    return {k: v.format(post=things["post"].pk) for k, v in fields.items()}


def assert_nothing_changed(things: dict[str, Any], log_size: int) -> None:
    post = Post.objects.get(pk=things["post"].pk)
    assert post.status == Post.Status.HELD and post.body == things["post"].body
    assert Ban.objects.active().count() == 1
    assert BlockedTerm.objects.count() == 1
    assert ModerationAction.objects.count() == log_size
    assert Post.objects.get(pk=things["removed"].pk).status == Post.Status.REMOVED
    assert not ReaderNote.objects.exists()
    assert CannedReason.objects.count() == 5
    assert not Appeal.objects.filter(decided_at__isnull=False).exists()
    assert not Ban.objects.filter(user=things["author"]).exists()


@pytest.mark.parametrize("name", PAGES)
def test_moderator_opens_every_page(name: str, things: dict[str, Any], mod_client: Client) -> None:
    assert mod_client.get(url(name, things)).status_code == 200


@pytest.mark.parametrize("name", PAGES)
def test_outsider_is_refused_every_page(
    name: str, things: dict[str, Any], outsider: User, client: Client
) -> None:
    client.force_login(outsider)
    assert client.get(url(name, things)).status_code == 403


@pytest.mark.parametrize(("name", "fields"), POSTS)
def test_outsider_is_refused_every_action(
    name: str, fields: dict[str, str], things: dict[str, Any], outsider: User, client: Client
) -> None:
    client.force_login(outsider)
    log_size = ModerationAction.objects.count()
    assert client.post(url(name, things), data(fields, things)).status_code == 403
    assert_nothing_changed(things, log_size)


@pytest.mark.parametrize("name", PAGES)
def test_signed_out_visitor_is_sent_to_sign_in(
    name: str, things: dict[str, Any], client: Client
) -> None:
    address = url(name, things)
    response = client.get(address)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={address}"


@pytest.mark.parametrize(("name", "fields"), POSTS)
def test_signed_out_visitor_cannot_act(
    name: str, fields: dict[str, str], things: dict[str, Any], client: Client
) -> None:
    log_size = ModerationAction.objects.count()
    response = client.post(url(name, things), data(fields, things))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert_nothing_changed(things, log_size)


@pytest.mark.parametrize(("name", "fields"), POSTS)
def test_every_action_needs_a_csrf_token(
    name: str, fields: dict[str, str], things: dict[str, Any], moderator: User
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    log_size = ModerationAction.objects.count()
    assert client.post(url(name, things), data(fields, things)).status_code == 403
    assert_nothing_changed(things, log_size)


def test_superuser_is_a_moderator(things: dict[str, Any], client: Client) -> None:
    boss = User.objects.create_superuser("boss", "boss@example.org", "correct horse 42")
    client.force_login(boss)
    assert client.get(reverse("moderation-queue")).status_code == 200


def test_moderation_link_shows_only_for_moderators(
    article: Article, moderator: User, outsider: User, client: Client
) -> None:
    assert "Moderation" not in client.get("/").content.decode()
    client.force_login(outsider)
    assert ">Moderation<" not in client.get("/").content.decode()
    client.force_login(moderator)
    page = client.get("/").content.decode()
    assert f'<a href="{reverse("moderation-queue")}">Moderation</a>' in page
