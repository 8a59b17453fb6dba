"""Signed unsubscribe tokens: the address (and account) an email went to, unforgeable.

They never expire: an unsubscribe link in an old email must still work.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

SALT = "knowhow.notifications.unsubscribe"


class BadToken(Exception):
    """The token was altered, truncated or made with another key."""


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
