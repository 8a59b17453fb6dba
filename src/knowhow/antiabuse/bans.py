"""Whether a reader may post: bans by account, by hashed address or network, or by range."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Q

from knowhow.antiabuse.addresses import Address
from knowhow.antiabuse.models import Ban


@dataclass(frozen=True)
class Standing:
    banned: Ban | None
    shadow: bool


def standing(user: User | None, address: Address) -> Standing:
    """The reader's standing, with one query; carries address bans into the current period."""
    owner = Q(user=user) if user is not None else Q(pk__in=[])
    kinds = Q(kind__in=[Ban.Kind.ADDRESS, Ban.Kind.NETWORK, Ban.Kind.RANGE])
    bans = list(Ban.objects.active().filter(owner | kinds).order_by("-created_at"))
    shadow = False
    for ban in bans:
        if ban.kind == Ban.Kind.SHADOW:
            shadow = True
        elif _bars(ban, user, address):
            return Standing(ban, shadow)
    return Standing(None, shadow)


def _bars(ban: Ban, user: User | None, address: Address) -> bool:
    if ban.kind == Ban.Kind.ACCOUNT:
        return user is not None and ban.user_id == user.pk
    if ban.kind == Ban.Kind.RANGE:
        return _in_range(address.raw, ban.cidr)
    return _matches(ban, address)


def _matches(ban: Ban, address: Address) -> bool:
    hashes = set(ban.hashes)
    current = address.ip_hash if ban.kind == Ban.Kind.ADDRESS else address.network_hash
    previous = (
        address.previous_ip_hash if ban.kind == Ban.Kind.ADDRESS else address.previous_network_hash
    )
    if current in hashes:
        return True
    if previous in hashes:
        # Seen again after the key rotated: remember this period's hash so the ban holds on.
        ban.hashes = [*ban.hashes, current][-6:]
        ban.save(update_fields=["hashes"])
        return True
    return False


def _in_range(raw: str, cidr: str) -> bool:
    try:
        return ipaddress.ip_address(raw) in ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
