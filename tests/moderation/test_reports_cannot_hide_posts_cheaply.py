"""Reports cannot hide a post cheaply: anonymous clients and fresh accounts reach the queue
but hide nothing; only established readers on different networks hide a post; one IPv6 /48
is one voice; reports are limited per account, address and network."""

from __future__ import annotations

import pytest
from django.test import Client

from knowhow.antiabuse.addresses import keyed_hash, period
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation.models import Flag
from tests.conftest import form_data
from tests.pages import visible_text
from tests.people import make_established, make_reader, signed_in

TEXT = "Boil the kettle twice for better tea."


@pytest.fixture(autouse=True)
def _trust(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ESTABLISHED_ACCOUNT_DAYS = 7
    settings.ESTABLISHED_POSTS = 1
    settings.FLAG_THRESHOLD = 3


@pytest.fixture
def reported(article: Article) -> Post:
    return post_comment(article=article, body=TEXT)


def report(
    article: Article, number: int, address: str, client: Client | None = None, note: str = ""
):  # type: ignore[no-untyped-def]
    return (client or Client()).post(
        f"{article.get_absolute_url()}posts/{number}/report/",
        {"reason": "spam", "note": note},
        REMOTE_ADDR=address,
    )


def shown(article: Article) -> bool:
    return TEXT in visible_text(Client().get(article.get_absolute_url()).content)


def test_any_number_of_anonymous_clients_never_hides_a_post(
    article: Article, reported: Post
) -> None:
    for n in range(12):
        assert report(article, reported.number, f"198.{n}.100.7").status_code == 302
    reported.refresh_from_db()
    assert reported.status == Post.Status.PUBLISHED and shown(article)
    assert Flag.objects.filter(post=reported).open().count() == 12  # all in the queue


def test_an_army_of_fresh_accounts_never_hides_a_post(article: Article, reported: Post) -> None:
    for n in range(6):
        account = make_reader(f"fresh{n}")
        post_comment(article=article, body=f"Hello from fresh {n}.", author=account)
        assert (
            report(article, reported.number, f"203.0.{n}.9", signed_in(account)).status_code == 302
        )
    reported.refresh_from_db()
    assert reported.status == Post.Status.PUBLISHED and shown(article)


def test_established_readers_on_three_networks_hide_it(article: Article, reported: Post) -> None:
    readers = [make_established(f"old{n}", article) for n in range(3)]
    for n, reader in enumerate(readers[:2]):
        report(article, reported.number, f"192.0.{n}.1", signed_in(reader))
    report(article, reported.number, "198.51.100.1")  # anonymous: no voice
    assert shown(article)
    report(article, reported.number, "192.0.9.1", signed_in(readers[2]))
    reported.refresh_from_db()
    assert reported.status == Post.Status.HELD
    assert reported.held_because == "reported by 3 readers"
    assert not shown(article)


def test_established_readers_in_one_ipv6_48_are_one_voice(article: Article, reported: Post) -> None:
    readers = [make_established(f"v6reader{n}", article) for n in range(4)]
    # Four /64s of one /48: one subscriber's network.
    for n, reader in enumerate(readers):
        report(article, reported.number, f"2001:db8:7:{n}::1", signed_in(reader))
    reported.refresh_from_db()
    assert reported.status == Post.Status.PUBLISHED and shown(article)


def test_anonymous_reports_are_limited_per_address_and_the_note_is_kept(
    article: Article, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.REPORT_RATE_ADDRESS = [(3, 3600)]
    posts = [post_comment(article=article, body=f"Opinion {n} on tea.") for n in range(5)]
    for post in posts[:3]:
        assert report(article, post.number, "198.51.100.5").status_code == 302
    refused = report(article, posts[3].number, "198.51.100.5", note="My careful note")
    assert refused.status_code == 429 and refused["Retry-After"]
    page = refused.content.decode()
    assert "faster than this site allows" in visible_text(refused.content)
    assert "My careful note" in page
    # Another address of the same IPv6 /64 is the same reader.
    settings.REPORT_RATE_ADDRESS = [(1, 3600)]
    assert report(article, posts[0].number, "2001:db8:9:1::1").status_code == 302
    assert report(article, posts[1].number, "2001:db8:9:1::2").status_code == 429


def test_reports_are_limited_per_network_whatever_the_addresses(article: Article, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REPORT_RATE_NETWORK = [(4, 3600)]
    posts = [post_comment(article=article, body=f"Opinion {n} on tea.") for n in range(6)]
    for n in range(4):
        assert report(article, posts[n].number, f"2001:db8:8:{n}::1").status_code == 302
    # A fresh /64 of the same /48.
    assert report(article, posts[4].number, "2001:db8:8:ff::1").status_code == 429
    assert report(article, posts[4].number, "2001:db8:99:1::1").status_code == 302
    assert Flag.objects.count() == 5


def test_reports_are_limited_per_account_from_any_address(article: Article, settings) -> None:  # type: ignore[no-untyped-def]
    settings.REPORT_RATE_ACCOUNT = [(2, 3600)]
    reader = make_reader("eager")
    client = signed_in(reader)
    posts = [post_comment(article=article, body=f"Opinion {n} on tea.") for n in range(3)]
    assert report(article, posts[0].number, "192.0.2.1", client).status_code == 302
    assert report(article, posts[1].number, "198.51.100.1", client).status_code == 302
    assert report(article, posts[2].number, "203.0.113.1", client).status_code == 429


def test_a_network_ban_stored_from_a_64_still_holds_its_64_only(article: Article) -> None:
    # Kept from when IPv6 networks were counted per /64.
    Ban.objects.create(kind=Ban.Kind.NETWORK, hashes=[keyed_hash("2001:db8:4:5::/64", period())])
    url = f"{article.get_absolute_url()}posts/"
    banned = Client().post(
        url, form_data(article, "From the banned home."), REMOTE_ADDR="2001:db8:4:5::77"
    )
    assert banned.status_code == 403
    neighbour = Client().post(
        url, form_data(article, "From next door."), REMOTE_ADDR="2001:db8:4:6::77"
    )
    assert neighbour.status_code == 302


def test_a_network_ban_from_a_new_post_covers_its_48(article: Article, moderator) -> None:  # type: ignore[no-untyped-def]
    from knowhow.antiabuse.addresses import address_of
    from knowhow.moderation import services as moderation

    post = post_comment(
        article=article, body="Spam from a /48.", address=address_of("2001:db8:6:1::1")
    )
    moderation.ban(kind=Ban.Kind.NETWORK, moderator=moderator, reason="spam", post=post)
    url = f"{article.get_absolute_url()}posts/"
    other = Client().post(
        url, form_data(article, "From another /64."), REMOTE_ADDR="2001:db8:6:ff::1"
    )
    assert other.status_code == 403
