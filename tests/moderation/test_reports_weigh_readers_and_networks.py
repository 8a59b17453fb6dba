"""Reports hide a post only when established readers on different networks make them: one
vote per account and one per network (/24, /48); a shadow-hidden reader's reports count for
nothing. (Every account here is established:
tests/moderation/test_reports_cannot_hide_posts_cheaply.py
tries anonymous clients and fresh accounts.)"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import services as moderation
from knowhow.moderation.models import Flag
from tests.pages import visible_text
from tests.people import make_reader, signed_in

HIDDEN_TEXT = "Drink seawater to cure cramps."


_made = iter(range(1000))


@pytest.fixture(autouse=True)
def _everyone_established(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ESTABLISHED_ACCOUNT_DAYS = settings.ESTABLISHED_POSTS = 0


def report(article: Article, address: str, client: Client | None = None) -> str:
    """A report from the client, or from a reader of its own signed in for it."""
    answer = (client or signed_in(make_reader(f"voice{next(_made)}"))).post(
        f"{article.get_absolute_url()}posts/1/report/",
        {"reason": "harmful"},
        REMOTE_ADDR=address,
        follow=True,
    )
    assert answer.status_code == 200
    return visible_text(answer.content)


def shown(article: Article) -> bool:
    return HIDDEN_TEXT in visible_text(Client().get(article.get_absolute_url()).content)


@pytest.fixture
def reported(article: Article) -> Post:
    return post_comment(article=article, body=HIDDEN_TEXT)


@pytest.mark.parametrize(
    ("one_network", "others", "kept"),
    [
        # Three neighbours in a /24: three reports for the moderators, one voice.
        (["203.0.113.1", "203.0.113.2", "203.0.113.254"], ["198.51.100.1", "192.0.2.1"], 3),
        # Three /64s of one /48: three reports, one voice.
        (
            ["2001:db8:1:2::1", "2001:db8:1:3::2", "2001:db8:1:ffff:ffff:ffff:ffff:fffe"],
            ["2001:db8:2:3::1", "2001:db8:9::1"],
            3,
        ),
    ],
)
def test_reports_hide_a_post_only_from_three_networks(
    article: Article, reported: Post, one_network: list[str], others: list[str], kept: int
) -> None:
    assert "Thank you: a moderator will look at Post 1." in report(article, one_network[0])
    for address in one_network[1:]:
        report(article, address)
    reported.refresh_from_db()
    assert reported.status == Post.Status.PUBLISHED and shown(article)
    assert Flag.objects.filter(post=reported).count() == kept
    for address in others:
        report(article, address)
    reported.refresh_from_db()
    assert reported.status == Post.Status.HELD
    assert reported.held_because == "reported by 3 readers"
    assert not shown(article)


def test_accounts_on_one_network_count_as_one_reader_and_each_account_once(
    article: Article, reported: Post, reader: User, outsider: User
) -> None:
    for account in (reader, outsider, make_reader("third")):
        report(article, "203.0.113.7", signed_in(account))
    assert shown(article)
    assert "You had already reported Post 1." in report(article, "198.51.100.7", signed_in(reader))
    assert shown(article)
    report(article, "198.51.100.8", signed_in(make_reader("fourth")))
    report(article, "192.0.2.8")
    assert not shown(article)


def test_a_shadow_hidden_readers_report_is_thanked_but_counts_for_nothing(
    article: Article, reported: Post, reader: User, moderator: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.FLAG_THRESHOLD = 2
    moderation.ban(kind=Ban.Kind.SHADOW, moderator=moderator, reason="troll", user=reader)
    client = signed_in(reader)
    assert "Thank you: a moderator will look at Post 1." in report(article, "203.0.113.7", client)
    assert "You had already reported Post 1." in report(article, "203.0.113.7", client)
    report(article, "198.51.100.7")
    reported.refresh_from_db()
    assert reported.status == Post.Status.PUBLISHED and shown(article)
    # Nor does it reach the moderators' queue.
    queue = visible_text(signed_in(moderator).get("/moderation/").content)
    assert HIDDEN_TEXT in queue and "1 open report" in queue
