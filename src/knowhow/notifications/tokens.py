"""Signed tokens of emailed links: unsubscribing, and confirming an address for replies.

Unsubscribe tokens never expire: an unsubscribe link in an old email must still work.
Confirmation tokens do (CONFIRM_MAX_AGE): a link found in an old mailbox confirms nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "knowhow.notifications.unsubscribe"
CONFIRM_SALT = "knowhow.notifications.confirm"
CONFIRM_MAX_AGE = 7 * 86400


class BadToken(Exception):
    """The token was altered, truncated or made with another key."""


class ExpiredToken(BadToken):
    """A genuine confirmation token, older than CONFIRM_MAX_AGE."""


@dataclass(frozen=True)
class Subscriber:
    email: str
    user_id: int | None = None


def make_token(subscriber: Subscriber) -> str:
    return signing.dumps({"e": subscriber.email, "u": subscriber.user_id}, salt=SALT)


def read_token(token: str) -> Subscriber:
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        raise BadToken(token) from None
    if not isinstance(data, dict) or not isinstance(data.get("e"), str) or not data["e"]:
        raise BadToken(token)
    user_id = data.get("u")
    return Subscriber(email=data["e"], user_id=user_id if isinstance(user_id, int) else None)


def make_confirm_token(email: str) -> str:
    """The token of a link confirming that this address wants reply emails (signed, dated)."""
    return signing.dumps({"c": email}, salt=CONFIRM_SALT)


def read_confirm_token(token: str, max_age: int = CONFIRM_MAX_AGE) -> str:
    """The address a confirmation token names; ExpiredToken or BadToken when it is not good."""
    try:
        data = signing.loads(token, salt=CONFIRM_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise ExpiredToken(token) from None
    except signing.BadSignature:
        raise BadToken(token) from None
    if not isinstance(data, dict) or not isinstance(data.get("c"), str) or not data["c"]:
        raise BadToken(token)
    return str(data["c"])
