"""Parts of pages kept rendered, for the pages the full-page cache cannot serve whole.

A signed-in reader's article page is built live, but most of it is the same for everyone:
the article, its related list, a page of its discussion. Those parts are kept here, in
this process's memory, under the same tags and versions as whole pages, so they are
never stale either: a part is valid while no tag it names has changed in any process.

Smaller parts, such as one post of a thread, are kept by what they show instead
(`kept_by_content`): their key is a digest of every value the part shows, so any change
makes a new key, and a thread drawn anew after a write renders only the posts it changed.
They need no check of versions, which would cost a round trip to Redis per part.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core.signals import setting_changed
from django.db.models import Model
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
        # Parts kept by what they show (kept_by_content), in a budget of their own.
        self._by_content: Store[Fragment] = Store(budget)

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

    def by_content(self, key: str, render: Callable[[], str]) -> str:
        """The part kept under `key`, a digest of everything it shows, or `render()` kept."""
        found = self._by_content.get(key)
        if found is not None:
            return str(found.value)
        value = render()
        if self.budget > 0:
            size = len(value) + len(key) + OVERHEAD
            self._by_content.put(key, Fragment(value, None, (), float("inf"), size))
        return value

    def clear(self, keep_content: bool = False) -> None:
        """Forget every kept part (but those kept by what they show, if asked)."""
        self._kept.clear()
        if not keep_content:
            self._by_content.clear()


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


def kept_by_content(request: HttpRequest, key: str, render: Callable[[], str]) -> str:
    """A part of a page whose `key` names everything it shows but the viewer's own bits:
    rendered with those as holes, kept, and filled for this request's viewer (or left as
    holes for a render going to the cache)."""

    def rendered() -> str:
        with marking(request):
            return str(render())

    return fill_live(fragments().by_content(key, rendered), request, lambda: get_token(request))


def rows_as_read(
    value: object, brief: Mapping[type[Model], tuple[str, ...]], depth: int = 0
) -> object:
    """A model row as it was read (its loaded fields and annotations, the rows read with it
    and any lists set on it), as plain values for a kept part's key (`kept_by_content`):
    whatever of it a part can show without another query changes this. Of the models in
    `brief` only the fields named there count (what the part shows of an article: not its
    body, long to read for every key)."""
    if depth > 4:  # rows that lead back to each other
        return None
    if isinstance(value, Model):
        named = brief.get(type(value))
        if named is not None:
            return (type(value).__name__, [getattr(value, name, None) for name in named])
        fields = [
            (name, rows_as_read(field, brief, depth + 1))
            for name, field in value.__dict__.items()
            if not name.startswith("_")
        ]
        joined = [
            (name, rows_as_read(row, brief, depth + 1))
            for name, row in value._state.fields_cache.items()
        ]
        return (type(value).__name__, fields, joined)
    if isinstance(value, list | tuple):
        return [rows_as_read(item, brief, depth + 1) for item in value]
    return value


def fragments() -> Fragments:
    """This process's fragments, within a quarter of the page cache's memory budget."""
    global _store
    if _store is None or _store.budget != settings.PAGE_CACHE_BYTES // 4:
        _store = Fragments(settings.PAGE_CACHE_BYTES // 4)
    return _store


def _forget_on_new_settings(setting: str = "", **kwargs: object) -> None:
    # A part kept by what it shows was drawn under the settings of its time (the time zone
    # of its dates, the digits of its numbers); tests change them. Whether posts are kept
    # changes nothing drawn (the bench switches it on and off).
    if _store is not None and setting != "DISCUSSION_KEEP_POSTS":
        _store.clear()


setting_changed.connect(_forget_on_new_settings)
