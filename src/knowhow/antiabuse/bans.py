"""Whether a reader may post: bans by account, by hashed address or network, or by range."""

from __future__ import annotations

import copy
import ipaddress
from dataclasses import dataclass
from typing import cast

from django.contrib.auth.models import User

from knowhow.antiabuse.addresses import Address
from knowhow.antiabuse.models import Ban
from knowhow.pagecache.fragments import fragments


@dataclass(frozen=True)
class Standing:
    banned: Ban | None
    shadow: bool


# The page-cache tag every change to a ban stamps (antiabuse/apps.py).
BANS_TAG = "bans"
_FOR_EVERYONE = {Ban.Kind.ADDRESS, Ban.Kind.NETWORK, Ban.Kind.RANGE}


def active_bans() -> list[Ban]:
    """Every ban in force, newest first: one query, then kept in memory until a ban is
    made, lifted or changed in any process, or the first of them expires."""

    def read() -> tuple[list[Ban], list[str], float | None]:
        bans = list(Ban.objects.active().order_by("-created_at"))
        ends = [ban.expires_at.timestamp() for ban in bans if ban.expires_at]
        return bans, [BANS_TAG], min(ends) if ends else None

    return cast(list[Ban], fragments().get_or_make("antiabuse:active-bans", read))


def standing(user: User | None, address: Address) -> Standing:
    """The reader's standing; carries address bans into the current period."""
    bans = [
        ban
        for ban in active_bans()
        if ban.kind in _FOR_EVERYONE or (user is not None and ban.user_id == user.pk)
    ]
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
        # A copy: the kept list is shared by every request of this process.
        renewed = copy.copy(ban)
        renewed.hashes = [*ban.hashes, current][-6:]
        renewed.save(update_fields=["hashes"])
        return True
    return False


def _in_range(raw: str, cidr: str) -> bool:
    try:
        return ipaddress.ip_address(raw) in ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
