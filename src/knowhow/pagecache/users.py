"""Django's model authentication, with the signed-in user kept in memory until it changes.

Each request of a signed-in reader looks their account up. Here the row is kept in this
process's memory under the tag `user-<id>`, stamped whenever the account is saved or
deleted in any process (a new password, a new name, deactivation), and each request gets
its own copy, so nothing one request learns (such as permissions) leaks into another.
"""

from __future__ import annotations

import copy
from typing import Any

from django.contrib.auth.backends import ModelBackend

from knowhow.pagecache.fragments import fragments


def user_tag(user_id: Any) -> str:
    return f"user-{user_id}"


class KeptUserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> Any:
        def read() -> tuple[Any, list[str], None]:
            return super(KeptUserBackend, self).get_user(user_id), [user_tag(user_id)], None

        user = fragments().get_or_make(f"user:{user_id}", read)
        return copy.copy(user) if user is not None else None
