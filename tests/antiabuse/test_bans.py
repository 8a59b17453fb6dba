"""Bans: by account, by hashed address or network, by range, and shadow-hiding; reading a
reader's standing writes nothing, and a ban met by last period's hash holds on."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowhow.antiabuse import bans
from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.checks import Refused, check_standing
from knowhow.antiabuse.models import Ban
from tests.writers import outside, writers

pytestmark = pytest.mark.django_db

HOME = "198.51.100.7"
NEIGHBOUR = "198.51.100.8"
FAR = "203.0.113.9"


def _address_ban(raw: str = HOME, *, kind: str = Ban.Kind.ADDRESS, when: dt.datetime) -> Ban:
    address = address_of(raw, now=when)
    value = address.ip_hash if kind == Ban.Kind.ADDRESS else address.network_hash
    return Ban.objects.create(kind=kind, hashes=[value])


def test_an_address_ban_bars_that_address_only() -> None:
    _address_ban(when=timezone.now())
    assert bans.standing(None, address_of(HOME)).banned is not None
    assert bans.standing(None, address_of(NEIGHBOUR)).banned is None


def test_a_network_ban_bars_the_neighbours_too() -> None:
    _address_ban(kind=Ban.Kind.NETWORK, when=timezone.now())
    assert bans.standing(None, address_of(NEIGHBOUR)).banned is not None
    assert bans.standing(None, address_of(FAR)).banned is None


def test_a_range_ban_bars_addresses_in_the_range() -> None:
    Ban.objects.create(kind=Ban.Kind.RANGE, cidr="203.0.113.0/24")
    assert bans.standing(None, address_of(FAR)).banned is not None
    assert bans.standing(None, address_of(HOME)).banned is None


def test_an_account_ban_follows_the_account_from_any_address(reader: User) -> None:
    Ban.objects.create(kind=Ban.Kind.ACCOUNT, user=reader)
    assert bans.standing(reader, address_of(FAR)).banned is not None
    assert bans.standing(None, address_of(FAR)).banned is None


def test_shadow_hiding_bars_nothing_but_says_so(reader: User) -> None:
    Ban.objects.create(kind=Ban.Kind.SHADOW, user=reader)
    standing = bans.standing(reader, address_of(HOME))
    assert standing.banned is None and standing.shadow


def test_a_lifted_or_expired_ban_bars_no_more(reader: User) -> None:
    Ban.objects.create(kind=Ban.Kind.ACCOUNT, user=reader, lifted_at=timezone.now())
    Ban.objects.create(
        kind=Ban.Kind.ACCOUNT, user=reader, expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    assert bans.standing(reader, address_of(HOME)).banned is None


def test_reading_the_standing_writes_nothing_even_after_the_key_rotated() -> None:
    ban = _address_ban(when=timezone.now() - dt.timedelta(days=31))
    bans.active_bans()  # kept in memory first, so only the read under test runs below
    with CaptureQueriesContext(connection) as queries:
        standing = bans.standing(None, address_of(HOME))
    assert standing.banned is not None and standing.carried is not None
    assert not [q for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
    assert Ban.objects.get().hashes == ban.hashes


def test_a_ban_met_by_last_periods_hash_keeps_this_periods_once() -> None:
    ban = _address_ban(when=timezone.now() - dt.timedelta(days=31))
    for _ in range(2):
        with pytest.raises(Refused) as refused:
            check_standing(None, address_of(HOME))
        assert refused.value.code == "banned"
    assert Ban.objects.get().hashes == [*ban.hashes, address_of(HOME).ip_hash]


def test_the_refusal_says_until_when(reader: User) -> None:
    until = timezone.now() + dt.timedelta(days=2)
    Ban.objects.create(kind=Ban.Kind.ACCOUNT, user=reader, expires_at=until)
    with pytest.raises(Refused) as refused:
        check_standing(reader, address_of(HOME))
    assert refused.value.status == 403
    assert f"{timezone.localtime(until):%-d %B %Y}" in refused.value.message


def test_bans_are_written_by_the_moderators_and_carried_forward_only() -> None:
    found = writers("Ban", names=frozenset({"ban", "record", "ban_record", "locked"}))
    assert outside(found, {"moderation/services.py", "antiabuse/services.py"}) == set()
