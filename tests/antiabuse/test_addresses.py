"""Readers' addresses are kept as keyed hashes whose key rotates: never the address itself,
one reader per IPv4 address or IPv6 /64, and the proxy's word taken only as far as trusted."""

from __future__ import annotations

import datetime as dt

from django.test import RequestFactory, override_settings
from django.utils import timezone

from knowhow.antiabuse.addresses import address_of, client_ip, period


def test_the_hashes_never_show_the_address() -> None:
    address = address_of("198.51.100.7")
    assert all("198.51.100" not in value for value in address.hashes())


def test_the_same_address_hashes_alike_within_a_period_and_apart_across_them() -> None:
    now = timezone.now()
    later = now + dt.timedelta(days=31)
    assert address_of("198.51.100.7", now).ip_hash == address_of("198.51.100.7", now).ip_hash
    assert address_of("198.51.100.7", now).ip_hash != address_of("198.51.100.7", later).ip_hash


def test_the_previous_periods_hash_is_the_one_that_period_gave() -> None:
    now = timezone.now()
    last_period = now - dt.timedelta(days=31)
    assert period(now) == period(last_period) + 1
    assert address_of("198.51.100.7", now).previous_ip_hash == (
        address_of("198.51.100.7", last_period).ip_hash
    )


def test_neighbours_share_a_network_but_not_an_address() -> None:
    one, two = address_of("198.51.100.7"), address_of("198.51.100.8")
    assert one.network_hash == two.network_hash and one.ip_hash != two.ip_hash
    assert address_of("203.0.113.9").network_hash != one.network_hash


def test_one_ipv6_home_is_one_reader_whatever_address_it_takes_in_its_64() -> None:
    one, two = address_of("2001:db8:1:2::10"), address_of("2001:db8:1:2:ffff::99")
    assert one.reader_hash == two.reader_hash
    assert address_of("2001:db8:1:3::10").reader_hash != one.reader_hash


def test_an_ipv4_reader_on_a_dual_stack_server_is_an_ipv4_reader() -> None:
    assert address_of("::ffff:198.51.100.7").ip_hash == address_of("198.51.100.7").ip_hash


def test_an_unreadable_address_is_a_placeholder_not_an_error() -> None:
    assert address_of("not an address").raw == "0.0.0.0"  # noqa: S104 - compared, not bound


def test_the_forwarded_address_counts_only_behind_a_trusted_proxy() -> None:
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.5, 198.51.100.7"
    )
    with override_settings(TRUSTED_PROXY_COUNT=0):
        assert client_ip(request) == "10.0.0.2"
    with override_settings(TRUSTED_PROXY_COUNT=1):
        assert client_ip(request) == "198.51.100.7"
    with override_settings(TRUSTED_PROXY_COUNT=2):
        assert client_ip(request) == "203.0.113.5"
    with override_settings(TRUSTED_PROXY_COUNT=3):  # fewer entries than proxies: not trusted
        assert client_ip(request) == "10.0.0.2"
