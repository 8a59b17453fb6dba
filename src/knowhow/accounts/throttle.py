"""Limits on guessing passwords and on making accounts, counted per account and network.

Every check of a password a visitor types (signing in, on the site or the admin; changing
the password; deleting the account) first counts an attempt, and a right password takes its
attempt back. After the allowed number of wrong passwords in a window, further tries are
refused unchecked, the right password too, until the window ends; many tries sent at once
cannot slip past the count, and signing in to one's own account never wipes what an address
owes for others.

So that nobody can lock anyone else out (OWASP's "device cookies"):
- wrong passwords count against the pair of account and network they came from, so
  guessing from one network locks that network out of that account, not its owner;
- every untrusted network together has a larger limit per account, against a botnet;
- a browser that signed in to the account before carries a signed device cookie and is
  counted on its own, so it keeps working while strangers are locked out;
- past a limit, the sign-in page offers a one-time sign-in link by email (accounts.links).
"""

from __future__ import annotations

import hashlib
import time
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponseBase
from django.utils.crypto import get_random_string

from knowhow.antiabuse import ratelimit
from knowhow.antiabuse.addresses import request_address


class Throttled(Exception):
    """Too many tries: none is checked until retry_after seconds have passed."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(retry_after)
        self.retry_after = retry_after

    @property
    def minutes(self) -> int:
        """The wait in whole minutes, for the sentence that says it."""
        return (self.retry_after + 59) // 60


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


# The browser's mark of having signed in before: sent only to the account pages, so it
# never makes a reader's article page their own (the page cache ignores nothing for it).
DEVICE_COOKIE = "knowhow_device"
DEVICE_SALT = "knowhow.accounts.device"
DEVICE_PATH = "/accounts/"
DEVICE_DAYS = 365
# How many accounts one browser remembers signing in to.
DEVICE_ACCOUNTS = 5


def _device(request: HttpRequest | None) -> tuple[str, list[str]]:
    """This browser's device id and the accounts it signed in to; ("", []) if none or forged."""
    if request is None:
        return "", []
    value = request.get_signed_cookie(
        DEVICE_COOKIE, default="", salt=DEVICE_SALT, max_age=DEVICE_DAYS * 86400
    )
    device, _, accounts = str(value).partition(":")
    return (device, accounts.split(",")) if device and accounts else ("", [])


def _account_mark(username: str) -> str:
    return account_key(username)[:20]


def trusted_device(request: HttpRequest | None, username: str) -> str:
    """The id of this browser if it signed in to this account before, else ""."""
    device, accounts = _device(request)
    return device if _account_mark(username) in accounts else ""


def remember_device(request: HttpRequest, response: HttpResponseBase, username: str) -> None:
    """After a sign-in: this browser is trusted for this account from now on."""
    device, accounts = _device(request)
    mark = _account_mark(username)
    accounts = [mark, *(a for a in accounts if a != mark)][:DEVICE_ACCOUNTS]
    response.set_signed_cookie(
        DEVICE_COOKIE,
        f"{device or get_random_string(24)}:{','.join(accounts)}",
        salt=DEVICE_SALT,
        max_age=DEVICE_DAYS * 86400,
        path=DEVICE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _limits(request: HttpRequest | None, username: str) -> list[tuple[str, list[Any]]]:
    account = account_key(username)
    device = trusted_device(request, username)
    if device:  # its own count: strangers' guesses never lock it out
        return [(f"signin-device:{device}:{account}", list(settings.SIGNIN_RATE_ACCOUNT))]
    network = "none" if request is None else request_address(request).network_hash
    return [
        (f"signin-account:{account}:{network}", list(settings.SIGNIN_RATE_ACCOUNT)),
        (f"signin-account-all:{account}", list(settings.SIGNIN_RATE_ACCOUNT_ALL)),
        (f"signin-address:{address_key(request)}", list(settings.SIGNIN_RATE_ADDRESS)),
    ]


def begin(request: HttpRequest | None, username: str) -> Attempt:
    """Count a password try for the account, or raise Throttled (see the module's doc)."""
    moment = time.time()
    counted: list[tuple[str, tuple[tuple[int, int], ...]]] = []
    for key, rates in _limits(request, username):
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
