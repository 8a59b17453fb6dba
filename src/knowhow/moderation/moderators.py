"""Who moderates: whoever holds the permission, staff or not."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User

PERMISSION = "discussion.moderate_post"


def is_moderator(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(PERMISSION))
