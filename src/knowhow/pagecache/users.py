"""Django's model authentication, with the signed-in user kept in memory until it changes.

Each request of a signed-in reader looks their account up. Here the row is kept in this
process's memory under the tag `user-<id>`, stamped whenever the account is saved or
deleted in any process (a new password, a new name, deactivation), and each request gets
its own copy, so nothing one request learns (such as permissions) leaks into another.

What the account may do (its permissions, its own and its groups') is kept the same way,
under its tag and the one every grant, withdrawal, group and permission change stamps
(apps.py): a moderator's every page asks, and a permission taken away is gone at once.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.backends import ModelBackend

from knowhow.pagecache.fragments import fragments

# Changed whenever any account's or group's permissions change (apps.py).
PERMISSIONS_TAG = "permissions"


def user_tag(user_id: Any) -> str:
    return f"user-{user_id}"


class KeptUserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        def read() -> tuple[Any, list[str], None]:
            return super(KeptUserBackend, self).get_user(user_id), [user_tag(user_id)], None

        user = fragments().get_or_make(f"user:{user_id}", read)
        return copy.copy(user) if user is not None else None

    def _get_permissions(self, user_obj: Any, obj: Any, from_name: str) -> set[str]:
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return super()._get_permissions(user_obj, obj, from_name)  # type: ignore[misc]

        def read() -> tuple[frozenset[str], list[str], None]:
            found = super(KeptUserBackend, self)._get_permissions(user_obj, obj, from_name)  # type: ignore[misc]
            return frozenset(found), [user_tag(user_obj.pk), PERMISSIONS_TAG], None

        kept = fragments().get_or_make(f"permissions:{from_name}:{user_obj.pk}", read)
        return set(kept)  # type: ignore[call-overload]
