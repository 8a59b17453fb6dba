"""Readers' addresses, kept only as keyed hashes whose key rotates.

The key for a period is an HMAC of SECRET_KEY and the period's number, where a period is
IP_HASH_ROTATION_DAYS long. Hashes from different periods cannot be linked to each other or
turned back into an address; rate limits and bans compare the hash of the current period,
and a ban made in the previous period still matches (see antiabuse.bans).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

IPV4_NETWORK = 24
# A /48 is what one site (a business, often a home) is given: counted as one network, so
# one subscriber cannot speak with the 65,536 voices of its /64s.
IPV6_NETWORK = 48
# What one IPv6 home or phone holds and may take any address in: one reader.
IPV6_HOME = 64


def period(now: dt.datetime | None = None) -> int:
    """The number of the hash period a moment falls in."""
    moment = now or timezone.now()
    return int(moment.timestamp() // (settings.IP_HASH_ROTATION_DAYS * 86400))


def _key(period_number: int) -> bytes:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"knowhow-address:{period_number}".encode(), hashlib.sha256
    ).digest()


def keyed_hash(value: str, period_number: int) -> str:
    return hmac.new(_key(period_number), value.encode(), hashlib.sha256).hexdigest()


def network_of(address: str) -> str:
    ip = ipaddress.ip_address(address)
    prefix = IPV4_NETWORK if ip.version == 4 else IPV6_NETWORK
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def home_of(address: str) -> str:
    """One reader's share of the address space: the address for IPv4, its /64 for IPv6."""
    ip = ipaddress.ip_address(address)
    if ip.version == 4:
        return str(ip)
    return str(ipaddress.ip_network(f"{ip}/{IPV6_HOME}", strict=False))


@dataclass(frozen=True)
class Address:
    """A request's address as the rest of the code may see it: hashes, and the raw address
    only for the length of the request (for a range ban or the optional spam checker)."""

    raw: str
    ip_hash: str
    network_hash: str
    previous_ip_hash: str
    previous_network_hash: str
    # The hashes of one reader's share (home_of): the address for IPv4, its /64 for IPv6,
    # which was also an IPv6 network's hash when networks were /64s (bans kept from then).
    home_hash: str = ""
    previous_home_hash: str = ""

    def hashes(self) -> set[str]:
        return {self.ip_hash, self.network_hash, self.previous_ip_hash, self.previous_network_hash}

    @property
    def reader_hash(self) -> str:
        """The hash that stands for one anonymous reader: the address for IPv4, its /64 for
        IPv6, where one home or phone holds the whole /64 and may take any address in it."""
        return self.home_hash or self.ip_hash


def address_of(raw: str, now: dt.datetime | None = None) -> Address:
    try:
        parsed = ipaddress.ip_address(raw.strip())
    except ValueError:
        # A placeholder for an unparseable address, never bound.
        parsed = ipaddress.IPv4Address("0.0.0.0")  # noqa: S104
    if isinstance(parsed, ipaddress.IPv6Address) and parsed.ipv4_mapped is not None:
        # A dual-stack server names IPv4 readers ::ffff:a.b.c.d: they are IPv4 readers,
        # not one shared IPv6 network.
        parsed = parsed.ipv4_mapped
    ip = str(parsed)
    network, home = network_of(ip), home_of(ip)
    current = period(now)
    return Address(
        raw=ip,
        ip_hash=keyed_hash(ip, current),
        network_hash=keyed_hash(network, current),
        previous_ip_hash=keyed_hash(ip, current - 1),
        previous_network_hash=keyed_hash(network, current - 1),
        home_hash=keyed_hash(home, current),
        previous_home_hash=keyed_hash(home, current - 1),
    )


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or the entry TRUSTED_PROXY_COUNT proxies vouch for."""
    remote = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        ]
        forwarded = [part for part in forwarded if part]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return remote


def request_address(request: HttpRequest) -> Address:
    return address_of(client_ip(request))
