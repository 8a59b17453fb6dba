"""Who a request's session signs in, checked as Django checks it, for the page cache.

Pages kept for signed-in readers are the same for every reader but for holes (their name,
their tokens). Before one is served, the session must sign in an active reader who is not
staff, holds no permission at all, directly or through a group (any permission may show
more on a page: the newsroom's link and "Edit", a moderator's controls, whatever an app adds
next), and has nothing in the session but the sign-in (no messages, no anonymous posts to
show them): anything else gets a live page.
"""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.contrib.auth import (
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
    load_backend,
)
from django.utils.crypto import constant_time_compare
from django.utils.module_loading import import_string

from knowhow.pagecache.fragments import fragments
from knowhow.pagecache.users import PERMISSIONS_TAG, user_tag

_SIGN_IN_ONLY = {SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY}

__all__ = ["PERMISSIONS_TAG", "signed_in_reader"]


@functools.cache
def _session_store(engine: str) -> Any:
    return import_string(engine).SessionStore


def _holds_any_permission(user: Any) -> bool:
    """Kept until the account or any permission changes, so a kept page costs no query."""

    def read() -> tuple[bool, list[str], None]:
        return bool(user.get_all_permissions()), [user_tag(user.pk), PERMISSIONS_TAG], None

    return bool(fragments().get_or_make(f"any-permission:{user.pk}", read))


def signed_in_reader(session_key: str) -> Any:
    """The reader this session signs in, or None when the request needs Django's own look
    (no such session, anything more in it, staff, a holder of any permission, or a hash
    Django must renew or refuse)."""
    if not session_key or len(session_key) > 64:
        return None
    store = _session_store(settings.SESSION_ENGINE)(session_key)
    data = store.load()
    if set(data) != _SIGN_IN_ONLY:
        return None
    backend_path = data[BACKEND_SESSION_KEY]
    if backend_path not in settings.AUTHENTICATION_BACKENDS:
        return None
    try:
        user_id = get_user_model()._meta.pk.to_python(data[SESSION_KEY])
    except Exception:  # a malformed id: Django's own look refuses it
        return None
    user = load_backend(backend_path).get_user(user_id)
    if user is None or not user.is_active or user.is_staff or user.is_superuser:
        return None
    if not constant_time_compare(data[HASH_SESSION_KEY] or "", user.get_session_auth_hash()):
        return None
    if _holds_any_permission(user):
        return None
    return user
