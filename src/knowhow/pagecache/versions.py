"""Versions of the things pages show, shared by every process that serves the site.

A page cached by one process stays valid only while nothing it depends on has changed in
any process. Each write bumps a global generation and stamps the tags it changed with it;
a page remembers the generation read before it was rendered, and is valid while every tag
it depends on is stamped no later than that. Tags are hashed into a fixed number of slots,
so two tags may share one: that only ever drops a page too many, never keeps a stale one.

Two stores: a memory-mapped file in the data folder (every process of the servers on this
machine, and commands such as `knowhow import`, share it at memory speed), and Redis when
the cache is Redis (several servers on several machines). Asking Redis costs a round trip
per cached page; serving processes keep a copy in memory instead (mirror.py).
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import mmap
import os
import secrets
import struct
import threading
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol, cast

logger = logging.getLogger(__name__)

SLOTS = 1 << 16
# Every page and kept part depends on this tag: stamping it makes all of them stale.
SITE_TAG = "site"
_WORD = struct.Struct("<Q")


def slot_of(tag: str) -> int:
    digest = hashlib.blake2b(tag.encode(), digest_size=8).digest()
    return 1 + int.from_bytes(digest, "little") % SLOTS


class Versions(Protocol):
    def snapshot(self) -> object | None:
        """What to remember before rendering a page; None when nothing can be known."""

    def still_valid(self, snapshot: object, slots: Sequence[int]) -> bool:
        """Whether no tag in these slots changed since the snapshot was taken."""

    def bump(self, tags: Iterable[str]) -> None:
        """Stamp the tags with a new generation: pages that depend on them are stale."""

    def serve(self) -> None:
        """This process answers pages: keep what validity checks need close at hand."""


class FileVersions:
    """Slots in a memory-mapped file: slot 0 holds the generation, slot N a tag's stamp."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        size = _WORD.size * (SLOTS + 1)
        self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        if os.fstat(self._fd).st_size < size:
            fcntl.flock(self._fd, fcntl.LOCK_EX)
            try:
                if os.fstat(self._fd).st_size < size:
                    os.ftruncate(self._fd, size)
            finally:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        self._map = mmap.mmap(self._fd, size)

    def generation(self) -> int:
        return int(_WORD.unpack_from(self._map, 0)[0])

    def serve(self) -> None:
        """Nothing to do: the file is already in this process's memory."""

    def snapshot(self) -> int:
        return self.generation()

    def still_valid(self, snapshot: object, slots: Sequence[int]) -> bool:
        unpack, data, size = _WORD.unpack_from, self._map, _WORD.size
        limit = int(snapshot)  # type: ignore[call-overload]
        # A loop, not all() over a generator: every kept answer runs it, a dozen slots each.
        for slot in slots:  # noqa: SIM110
            if unpack(data, slot * size)[0] > limit:
                return False
        return True

    def bump(self, tags: Iterable[str]) -> None:
        slots = {slot_of(tag) for tag in tags}
        fcntl.flock(self._fd, fcntl.LOCK_EX)
        try:
            new = self.generation() + 1
            # Stamps first, then the generation: a render that reads the new generation
            # began after the write committed, so it cannot have seen the old data.
            for slot in slots:
                _WORD.pack_into(self._map, slot * _WORD.size, new)
            _WORD.pack_into(self._map, 0, new)
        finally:
            fcntl.flock(self._fd, fcntl.LOCK_UN)


# ARGV: an epoch to start with if Redis has none, then the slots. The stamps are also
# published, in generation order, to processes that keep a copy in memory (mirror.py).
_BUMP = """
local g = redis.call('INCR', KEYS[1])
local emptied = redis.call('HSETNX', KEYS[2], 'epoch', ARGV[1])
for i = 2, #ARGV do redis.call('HSET', KEYS[2], ARGV[i], g) end
local epoch = redis.call('HGET', KEYS[2], 'epoch')
redis.call('PUBLISH', KEYS[3], epoch .. ' ' .. g .. ' ' .. table.concat(ARGV, ' ', 2))
return {g, epoch, emptied}
"""


class RedisVersions:
    """The same in Redis, for servers on several machines.

    Redis may restart empty. An epoch kept beside the stamps tells: a page remembers the
    epoch it was rendered in, and a changed or missing epoch makes it stale.

    Redis may also be out of reach for a while, with its stamps intact. A write made then
    owes its stamps: a thread makes them the moment Redis answers again, and this process
    keeps nothing until they are made. A process that lost Redis for a while cannot know what
    others wrote meanwhile, so every page it kept before is stale once Redis answers again
    (its "contact": a page remembers the contact it was kept in).
    """

    SETTLE_EVERY = 0.2  # seconds between tries to make owed stamps

    def __init__(self, url: str, prefix: str) -> None:
        import redis

        from knowhow.redis_breaker import GuardedPool

        # The cache's own breaker: a Redis that stopped answering costs one timeout.
        pool = GuardedPool.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)
        self._redis: Any = redis.Redis(connection_pool=pool)
        self._gen_key = f"{prefix}:generation"
        self._stamps_key = f"{prefix}:stamps"
        self._channel = f"{prefix}:bumps"
        self._bump = self._redis.register_script(_BUMP)
        self._lock = threading.Lock()
        # Stamps a write could not make while Redis was out of reach. Until they are made,
        # this process keeps nothing; when they are, every page is stale, everywhere.
        self._owed: set[int] = set()
        self._settler: threading.Thread | None = None
        self._contact = 0
        self._in_contact = True

    def serve(self) -> None:
        """Nothing to do: every check asks Redis (mirror.py keeps a copy instead)."""

    def _reached(self, ok: bool) -> None:
        """Note whether Redis just answered; answering after silence starts a new contact."""
        with self._lock:
            if ok and not self._in_contact:
                self._contact += 1
            self._in_contact = ok

    def _settle(self) -> bool:
        """Make the stamps still owed, if any; False while they cannot be made."""
        with self._lock:
            owed = set(self._owed)
        if not owed:
            return True
        try:
            self._stamp(sorted(owed | {slot_of(SITE_TAG)}))
        except Exception:
            self._reached(False)
            return False
        with self._lock:
            self._owed -= owed
        self._reached(True)
        return True

    def _settle_soon(self) -> None:
        """Make owed stamps as soon as Redis answers, not at this process's next request:
        other processes may be serving pages from before the write until then."""
        with self._lock:
            if self._settler is not None and self._settler.is_alive():
                return
            self._settler = threading.Thread(
                target=self._keep_settling, name="pagecache-settle", daemon=True
            )
            self._settler.start()

    def _keep_settling(self) -> None:
        while not self._settle():
            time.sleep(self.SETTLE_EVERY)

    def snapshot(self) -> object | None:
        return self._asked_snapshot()

    def _asked_snapshot(self) -> tuple[bytes, int, int] | None:
        if not self._settle():
            return None
        try:
            pipe = self._redis.pipeline(transaction=False)
            pipe.hsetnx(self._stamps_key, "epoch", secrets.token_hex(8))
            pipe.hget(self._stamps_key, "epoch")
            pipe.get(self._gen_key)
            _, epoch, generation = pipe.execute()
        except Exception:  # Redis down: nothing can be known, so nothing is cached
            self._reached(False)
            logger.warning("page cache: Redis unreachable; serving without it", exc_info=True)
            return None
        self._reached(True)
        return bytes(epoch), int(generation or 0), self._contact

    def still_valid(self, snapshot: object, slots: Sequence[int]) -> bool:
        epoch, generation, contact = cast(tuple[bytes, int, int], snapshot)
        if not self._settle():
            return False
        try:
            values = self._redis.hmget(self._stamps_key, ["epoch", *slots])
        except Exception:
            self._reached(False)
            logger.warning("page cache: Redis unreachable; serving without it", exc_info=True)
            return False
        self._reached(True)
        if contact != self._contact:  # kept before Redis went silent: others wrote meanwhile
            return False
        if values[0] != epoch:  # Redis restarted empty: its stamps say nothing of the past
            return False
        return all(v is None or int(v) <= generation for v in values[1:])

    def _stamp(self, slots: Sequence[int]) -> tuple[int, bytes, bool]:
        """Stamp the slots in Redis: the new generation, the epoch it belongs to, and
        whether that epoch began just now (Redis had no stamps)."""
        keys = [self._gen_key, self._stamps_key, self._channel]
        generation, epoch, emptied = self._bump(keys=keys, args=[secrets.token_hex(8), *slots])
        return int(generation), bytes(epoch), bool(emptied)

    def bump(self, tags: Iterable[str]) -> None:
        self._bump_slots(sorted({slot_of(tag) for tag in tags}))

    def _bump_slots(self, slots: Sequence[int]) -> tuple[int, bytes, bool]:
        try:
            stamped = self._stamp(slots)
        except Exception:
            self._reached(False)
            with self._lock:
                self._owed.update(slots)
            self._settle_soon()
            raise
        self._reached(True)
        return stamped
