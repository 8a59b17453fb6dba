"""Django's database sessions, with reads kept in memory until they change anywhere.

A signed-in reader's every request reads their session. Here the read is kept in this
process's memory under a tag of its own, with the same shared versions as pages: saving
or deleting the session in any process (signing out, a new post remembered) stamps the
tag, and every process reads it from the database again. What is kept is the decoded
session (its signature checked once), and each request gets a copy of its own.
"""

from __future__ import annotations

import copy
import hashlib
from typing import Any, cast

from django.contrib.sessions.backends import db
from django.utils import timezone

from knowhow.pagecache.api import changed
from knowhow.pagecache.fragments import fragments

_IMMUTABLE = (str, int, float, bool, type(None))
_PLAIN = frozenset(_IMMUTABLE)


def _copied(value: Any) -> Any:
    """A copy of a session value that shares nothing changeable with the kept one. A list
    of plain values (an anonymous poster's own posts: up to 200 numbers) is copied as a
    list, not element by element as deepcopy would."""
    if isinstance(value, _IMMUTABLE):
        return value
    if type(value) is list and all(type(item) in _PLAIN for item in value):
        return list(value)
    return copy.deepcopy(value)


def _tag(session_key: str) -> str:
    # The key is a secret: tags only ever hold a digest of it.
    return "session-" + hashlib.sha256(session_key.encode()).hexdigest()[:32]


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        key = self.session_key
        if not key:
            return {}
        tag = _tag(key)

        def read() -> tuple[tuple[dict[str, Any], float] | None, list[str], float | None]:
            row = self._get_session_from_db()  # type: ignore[attr-defined]
            if row is None:
                return None, [tag], None
            expires = row.expire_date.timestamp()
            # Kept decoded: checking the signature and unpacking is most of a kept read.
            return (dict(self.decode(row.session_data)), expires), [tag], expires

        found = cast(
            tuple[dict[str, Any], float] | None, fragments().get_or_make(f"session:{tag}", read)
        )
        if found is None or found[1] <= timezone.now().timestamp():
            self._session_key = None
            return {}
        # Each request its own copy: what one changes in its session never reaches another.
        return {name: _copied(value) for name, value in found[0].items()}

    def save(self, must_create: bool = False) -> None:
        super().save(must_create=must_create)
        if self.session_key:
            changed(_tag(self.session_key))

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        super().delete(session_key)
        if key:
            changed(_tag(key))
