"""Limits on guessing passwords and on making accounts, counted per account and per address.

Every check of a password a visitor types (signing in, on the site or the admin; changing
the password; deleting the account) first counts an attempt against the account's name and
against the visitor's address, and a right password takes its attempt back. So after the
allowed number of wrong passwords in a window, every further try is refused unchecked, the
right password too, until the window ends; many tries sent at once cannot slip past the
count, and signing in to one's own account never wipes what an address owes for others.
"""

from __future__ import annotations

import hashlib
import time
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from knowhow.antiabuse import ratelimit
from knowhow.antiabuse.addresses import request_address


class Throttled(Exception):
    """Too many tries: none is checked until retry_after seconds have passed."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def wait(self) -> str:
        """The wait in words: "1 minute", "15 minutes"."""
        minutes = (self.retry_after + 59) // 60
        return f"{minutes} minute{'s' if minutes != 1 else ''}"


@dataclass(frozen=True)
class Attempt:
    """Tries counted for one password check, to take back if the password is right."""

    counted: tuple[tuple[str, tuple[tuple[int, int], ...]], ...]
    moment: float


def address_key(request: HttpRequest | None) -> str:
    """One visitor's address: a single IPv4 address, or an IPv6 /64 (one machine's usual share)."""
    return "none" if request is None else request_address(request).reader_hash


def account_key(username: str) -> str:
    # "Alice", "ALICE" and "ａｌｉｃｅ" are guesses at one account.
    name = unicodedata.normalize("NFKC", username).strip().casefold()
    return hashlib.sha256(name.encode()).hexdigest()


def begin(request: HttpRequest | None, username: str) -> Attempt:
    """Count a password try for the account and the address, or raise Throttled."""
    moment = time.time()
    counted: list[tuple[str, tuple[tuple[int, int], ...]]] = []
    for key, rates in (
        (f"signin-account:{account_key(username)}", settings.SIGNIN_RATE_ACCOUNT),
        (f"signin-address:{address_key(request)}", settings.SIGNIN_RATE_ADDRESS),
    ):
        limited = ratelimit.hit(key, list(rates), now=moment)
        if limited is not None:
            for done, done_rates in counted:
                ratelimit.undo(done, list(done_rates), moment)
            raise Throttled(limited.retry_after)
        counted.append((key, tuple(rates)))
    return Attempt(counted=tuple(counted), moment=moment)


def succeeded(attempt: Attempt) -> None:
    """The password was right: its try does not count."""
    for key, rates in attempt.counted:
        ratelimit.undo(key, list(rates), attempt.moment)


def check_password(request: HttpRequest | None, user: AbstractBaseUser, password: str) -> bool:
    """user.check_password, counted like a sign-in; raises Throttled when over the limit."""
    attempt = begin(request, user.get_username())
    right = user.check_password(password)
    if right:
        succeeded(attempt)
    return right


def check_signup(request: HttpRequest | None) -> None:
    """Count one account made from the address, or raise Throttled."""
    limited = ratelimit.hit(f"signup:{address_key(request)}", settings.SIGNUP_RATE_ADDRESS)
    if limited is not None:
        raise Throttled(limited.retry_after)
