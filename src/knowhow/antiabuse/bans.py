"""Whether a reader may post: bans by account, by hashed address or network, or by range.

A read: it writes nothing. A ban matched by last period's hash of the address says so
(Standing.carried), and antiabuse.services.carry_ban_forward remembers this period's.
"""

from __future__ import annotations

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
    # The ban matched only by the address's hash of the period before: it holds on once
    # this period's hash joins it.
    carried: Ban | None = None


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


def account_suspended(user: User) -> bool:
    """Whether a ban keeps this account from posting wherever it posts from."""
    return any(ban.kind == Ban.Kind.ACCOUNT and ban.user_id == user.pk for ban in active_bans())


def standing(user: User | None, address: Address) -> Standing:
    """The reader's standing: the first ban that bars them, and whether they are hidden."""
    bans = [
        ban
        for ban in active_bans()
        if ban.kind in _FOR_EVERYONE
        or (user is not None and ban.user_id == user.pk)
        # An account ban bars the addresses the account used, whoever posts from them.
        or (ban.kind == Ban.Kind.ACCOUNT and ban.hashes)
    ]
    shadow = False
    for ban in bans:
        if ban.kind == Ban.Kind.SHADOW:
            shadow = True
            continue
        match = _match(ban, user, address)
        if match is not None:
            return Standing(ban, shadow, carried=ban if match == _PREVIOUS else None)
    return Standing(None, shadow)


_CURRENT, _PREVIOUS = "current", "previous"


def _match(ban: Ban, user: User | None, address: Address) -> str | None:
    """Whether the ban bars this reader: by what they are now, by the address's hash of
    the period before, or not at all."""
    if ban.kind == Ban.Kind.ACCOUNT and user is not None and ban.user_id == user.pk:
        return _CURRENT
    if ban.kind == Ban.Kind.RANGE:
        return _CURRENT if _in_range(address.raw, ban.cidr) else None
    hashes = set(ban.hashes)
    if current_hash(ban, address) in hashes:
        return _CURRENT
    return _PREVIOUS if previous_hashes(ban, address) & hashes else None


def _hash_kinds(ban: Ban, address: Address) -> list[tuple[str, str]]:
    """(this period's, last period's) hashes of the address that the ban may hold: the
    address for an address ban and for the addresses an account ban covers; for a network
    ban the network, and an IPv6 reader's /64, which was the network when a ban made before
    networks were /48s was stored (such bans keep matching the /64 they named)."""
    if ban.kind in (Ban.Kind.ADDRESS, Ban.Kind.ACCOUNT):
        return [(address.ip_hash, address.previous_ip_hash)]
    kinds = [(address.network_hash, address.previous_network_hash)]
    if ":" in address.raw and address.home_hash:
        kinds.append((address.home_hash, address.previous_home_hash))
    return kinds


def previous_hashes(ban: Ban, address: Address) -> set[str]:
    return {previous for _, previous in _hash_kinds(ban, address)}


def current_hash(ban: Ban, address: Address) -> str:
    """The address's hash of this period, of the kind the ban holds: the one matching it
    now, else the one whose last period's hash it holds (what carrying it forward adds)."""
    kinds = _hash_kinds(ban, address)
    held = set(ban.hashes)
    for current, previous in kinds:
        if current in held or previous in held:
            return current
    return kinds[0][0]


def _in_range(raw: str, cidr: str) -> bool:
    try:
        return ipaddress.ip_address(raw) in ipaddress.ip_network(cidr, strict=False)
    except ValueError:
        return False
