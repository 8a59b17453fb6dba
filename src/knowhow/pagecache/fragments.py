"""Parts of pages kept rendered, for the pages the full-page cache cannot serve whole.

A signed-in reader's article page is built live, but most of it is the same for everyone:
the article, its related list, a page of its discussion. Those parts are kept here, in
this process's memory, under the same tags and versions as whole pages, so they are
never stale either: a part is valid while no tag it names has changed in any process.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings

from knowhow.pagecache.api import SITE_TAG, versions
from knowhow.pagecache.versions import slot_of


@dataclass(slots=True)
class Fragment:
    html: str
    snapshot: object
    slots: tuple[int, ...]
    expires: float


class Fragments:
    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._entries: OrderedDict[str, Fragment] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(
        self, key: str, tags: Iterable[str], expires: float | None, render: Callable[[], str]
    ) -> str:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
        now = time.time()
        if (
            found is not None
            and now < found.expires
            and versions().still_valid(found.snapshot, found.slots)
        ):
            return found.html
        snapshot = versions().snapshot()  # before rendering: a write during it makes it stale
        html = render()
        if snapshot is None or self.budget <= 0:
            return html
        slots = tuple(sorted({slot_of(tag) for tag in (SITE_TAG, *tags)}))
        fragment = Fragment(html, snapshot, slots, expires or float("inf"))
        with self._lock:
            old = self._entries.pop(key, None)
            self.size -= len(old.html) if old else 0
            self._entries[key] = fragment
            self.size += len(html)
            while self.size > self.budget and self._entries:
                _, dropped = self._entries.popitem(last=False)
                self.size -= len(dropped.html)
        return html

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self.size = 0


_store: Fragments | None = None


def fragments() -> Fragments:
    """This process's fragments, within a quarter of the page cache's memory budget."""
    global _store
    if _store is None or _store.budget != settings.PAGE_CACHE_BYTES // 4:
        _store = Fragments(settings.PAGE_CACHE_BYTES // 4)
    return _store
