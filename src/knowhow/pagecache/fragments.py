"""Parts of pages kept rendered, for the pages the full-page cache cannot serve whole.

A signed-in reader's article page is built live, but most of it is the same for everyone:
the article, its related list, a page of its discussion. Those parts are kept here, in
this process's memory, under the same tags and versions as whole pages, so they are
never stale either: a part is valid while no tag it names has changed in any process.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest
from django.middleware.csrf import get_token

from knowhow.pagecache.api import SITE_TAG, versions
from knowhow.pagecache.holes import fill_live, marking
from knowhow.pagecache.store import Store
from knowhow.pagecache.versions import slot_of
from knowhow.replicas import fresh_reads

# What peek() answers when nothing valid is kept.
MISSING = object()

# What an entry costs besides its text: key, stamps and bookkeeping, roughly.
OVERHEAD = 200


@dataclass(slots=True)
class Fragment:
    value: object
    snapshot: object
    slots: tuple[int, ...]
    expires: float
    size: int


class Fragments:
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self._kept: Store[Fragment] = Store(budget)

    def get_or_render(
        self, key: str, tags: Iterable[str], expires: float | None, render: Callable[[], str]
    ) -> str:
        """The part kept under `key`, or `render()` kept until a tag changes or `expires`."""
        return str(self.get_or_make(key, lambda: (render(), tags, expires)))

    def get_or_make(
        self, key: str, make: Callable[[], tuple[object, Iterable[str], float | None]]
    ) -> object:
        """Like get_or_render for any read-only value; `make` also says what it depends on
        (for a value whose tags are known only once it is read, such as a looked-up row)."""
        found = self._kept.get(key)
        now = time.time()
        if (
            found is not None
            and now < found.expires
            and versions().still_valid(found.snapshot, found.slots)
        ):
            return found.value
        snapshot = versions().snapshot()  # before reading: a write during it makes it stale
        with fresh_reads():  # and from a database that has every write the snapshot saw
            value, tags, expires = make()
        if snapshot is None or self.budget <= 0:
            return value
        slots = tuple(sorted({slot_of(tag) for tag in (SITE_TAG, *tags)}))
        size = (len(value) if isinstance(value, str) else 0) + OVERHEAD
        fragment = Fragment(value, snapshot, slots, expires or float("inf"), size)
        self._kept.put(key, fragment)
        return value

    def peek(self, key: str) -> object:
        """The value kept under `key` if it is still valid, else MISSING; never computes."""
        found = self._kept.get(key)
        if (
            found is not None
            and time.time() < found.expires
            and versions().still_valid(found.snapshot, found.slots)
        ):
            return found.value
        return MISSING

    def clear(self) -> None:
        self._kept.clear()


_store: Fragments | None = None


def kept_part(
    request: HttpRequest,
    key: str,
    tags: Iterable[str],
    expires: float | None,
    render: Callable[[], str],
) -> str:
    """A part of a live page kept for every viewer: rendered with each visitor's own bits
    (a form's token) as holes, filled for this request's viewer as it goes out."""

    def rendered() -> str:
        with marking(request):
            return str(render())

    kept = fragments().get_or_render(key, tags, expires, rendered)
    return fill_live(kept, request, lambda: get_token(request))


def fragments() -> Fragments:
    """This process's fragments, within a quarter of the page cache's memory budget."""
    global _store
    if _store is None or _store.budget != settings.PAGE_CACHE_BYTES // 4:
        _store = Fragments(settings.PAGE_CACHE_BYTES // 4)
    return _store
