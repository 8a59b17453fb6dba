"""What one process keeps in memory: least recently used first out, within a budget."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from knowhow.pagecache.compress import Brotli, Gzip
from knowhow.pagecache.holes import Hole


@dataclass(slots=True)
class Entry:
    status: str
    headers: list[tuple[str, str]]
    parts: list[bytes | Hole]
    slots: tuple[int, ...]
    snapshot: object
    expires: float
    etag: str
    last_modified: str
    created: float
    size: int
    has_csrf: bool = False
    # The holes of parts, in order: what each answer fills.
    holes: tuple[Hole, ...] = ()
    # For pages kept for signed-in readers: the kept answer that must be "" (see api.mark).
    reader_check: str = ""
    # Everyone's page, which an edge may keep (edge.py): its tags, its Surrogate-Key.
    edge_tags: tuple[str, ...] | None = None
    # The page compressed, for visitors who accept it (compress.py).
    gzip: Gzip | None = None
    br: Brotli | None = None
    # The headers every anonymous answer of it gets, by (X-Cache, encoding): wsgi.py.
    answer_headers: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)


@dataclass
class Stats:
    hits: int = 0
    not_modified: int = 0
    misses: int = 0
    stale: int = 0
    bypassed: int = 0
    stored: int = 0
    evicted: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


class Sized(Protocol):
    size: int


T = TypeVar("T", bound=Sized)


class Store(Generic[T]):
    """Least recently used first out, within a budget of bytes; safe across threads."""

    def __init__(self, budget: int, largest: int | None = None) -> None:
        self.budget = budget
        # One item must not push out a quarter of the others.
        self.largest = budget // 4 if largest is None else largest
        self.entries: OrderedDict[str, T] = OrderedDict()
        self.size = 0
        self.stats = Stats()
        self._lock = threading.Lock()

    def get(self, key: str) -> T | None:
        with self._lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.entries.move_to_end(key)
            return entry

    def put(self, key: str, entry: T) -> bool:
        # The key costs memory too: visitors choose addresses, query strings and headers.
        if entry.size + len(key) > self.largest:
            return False
        with self._lock:
            old = self.entries.pop(key, None)
            if old is not None:
                self.size -= old.size + len(key)
            self.entries[key] = entry
            self.size += entry.size + len(key)
            while self.size > self.budget and self.entries:
                dropped_key, dropped = self.entries.popitem(last=False)
                self.size -= dropped.size + len(dropped_key)
                self.stats.evicted += 1
            self.stats.stored += 1
        return True

    def drop(self, key: str, entry: T) -> None:
        with self._lock:
            if self.entries.get(key) is entry:
                del self.entries[key]
                self.size -= entry.size + len(key)

    def clear(self) -> None:
        with self._lock:
            self.entries.clear()
            self.size = 0
