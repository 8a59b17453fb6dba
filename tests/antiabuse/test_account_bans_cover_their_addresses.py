"""An account ban also covers the addresses the account posted from in its last 30 days
(kept as hashes, as addresses are), for as long as the ban lasts: signing out, or another
browser, gets round it no more than posting anonymously while signed in."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import services as moderation
from tests.conftest import form_data
from tests.pages import visible_text
from tests.people import signed_in

HOME, OLD_HOME, ELSEWHERE = "203.0.113.9", "198.51.100.3", "192.0.2.200"


def send(article: Article, body: str, address: str, client: Client | None = None):  # type: ignore[no-untyped-def]
    return (client or Client()).post(
        f"{article.get_absolute_url()}posts/", form_data(article, body), REMOTE_ADDR=address
    )


def used(article: Article, reader: User, address: str, days_ago: int = 0) -> Post:
    post = post_comment(
        article=article, body=f"From {address}.", author=reader, address=address_of(address)
    )
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - dt.timedelta(days=days_ago))
    return post


def test_signing_out_and_posting_anonymously_from_the_same_address_is_refused(
    article: Article, reader: User, moderator: User
) -> None:
    used(article, reader, HOME, days_ago=3)
    moderation.ban(
        kind=Ban.Kind.ACCOUNT,
        moderator=moderator,
        reason="trolling",
        user=reader,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    answer = send(article, "Signed out now, the ban is behind me.", HOME)
    assert answer.status_code == 403
    assert "suspended" in visible_text(answer.content)
    assert "the ban is behind me" in answer.content.decode()  # the text stays in the form
    # A second account in a fresh browser on that address is refused too.
    second = User.objects.create_user("second-self", password="x")
    assert send(article, "A new name, same place.", HOME, signed_in(second)).status_code == 403
    # Reports from that address are refused as well.
    report = Client().post(
        f"{article.get_absolute_url()}posts/1/report/", {"reason": "spam"}, REMOTE_ADDR=HOME
    )
    assert report.status_code in (200, 403) and "suspended" in visible_text(report.content)
    assert send(article, "Someone else entirely.", ELSEWHERE).status_code == 302


def test_addresses_older_than_30_days_are_not_covered(
    article: Article, reader: User, moderator: User
) -> None:
    used(article, reader, OLD_HOME, days_ago=31)
    used(article, reader, HOME, days_ago=29)
    moderation.ban(kind=Ban.Kind.ACCOUNT, moderator=moderator, reason="spam", user=reader)
    assert send(article, "From the old place.", OLD_HOME).status_code == 302
    assert send(article, "From the recent place.", HOME).status_code == 403


def test_the_addresses_are_free_when_the_ban_ends(
    article: Article, reader: User, moderator: User
) -> None:
    used(article, reader, HOME)
    record = moderation.ban(kind=Ban.Kind.ACCOUNT, moderator=moderator, reason="x", user=reader)
    assert send(article, "While banned.", HOME).status_code == 403
    moderation.lift_ban(ban_record=record, moderator=moderator)
    assert send(article, "After the ban.", HOME).status_code == 302


def test_a_shadow_hidden_account_does_not_bar_its_address(
    article: Article, reader: User, moderator: User
) -> None:
    # Shadow-hiding must not tell anyone it happened, so it bars no address.
    used(article, reader, HOME)
    moderation.ban(kind=Ban.Kind.SHADOW, moderator=moderator, reason="x", user=reader)
    assert send(article, "A neighbour speaking.", HOME).status_code == 302
