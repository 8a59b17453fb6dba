"""Page versions kept in each serving process's memory, pushed from Redis, never stale.

With Redis, asking whether a kept page is still valid costs a round trip. Instead each
serving process keeps a copy of the stamps: every bump is published in generation order
(versions.py), and a thread applies it to the copy and acknowledges it in Redis.

Never stale after a write's response:
- Each serving process holds a lease in Redis, renewed every HEARTBEAT_SHARE of it, and
  answers from its copy only while its own lease runs. It counts the lease from the
  moment it asked for it, so it lapses here no later than Redis sees it lapse.
- A write, once stamped, waits until every process whose lease runs has acknowledged its
  generation; a process that does not answer is waited for until its lease lapses, and
  then no longer answers from memory.
- A process whose copy fell behind (its acknowledgement older than the generation seen at
  its last renewal) is refused the next renewal, so it cannot hold a lease forever.
- A copy rebuilt (a lost connection, Redis restarted empty) or a lease taken again after
  it lapsed starts a new incarnation: every page kept before it is stale.
While it has no lease, a process asks Redis each time, as RedisVersions does.
"""

from __future__ import annotations

import atexit
import logging
import os
import secrets
import socket
import threading
import time
from collections.abc import Iterable, Sequence
from typing import Any, cast

from knowhow.pagecache.versions import RedisVersions, slot_of

logger = logging.getLogger(__name__)

HEARTBEAT_SHARE = 0.2  # the lease is renewed five times in its length
# The lease counts here a little shorter than in Redis, for clocks that run apart.
LOCAL_SHARE = 0.9

# KEYS: members (lease ends by id), applied (generation by id), seen (generation at the
# last renewal, by id), the generation, the stamps. ARGV: id, lease in ms, an epoch to
# start with. Returns whether the lease was renewed, and the epoch of the stamps.
_RENEW = """
redis.replicate_commands()
redis.call('HSETNX', KEYS[5], 'epoch', ARGV[3])
local epoch = redis.call('HGET', KEYS[5], 'epoch')
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local id = ARGV[1]
local seen = tonumber(redis.call('HGET', KEYS[3], id) or '-1')
local applied = tonumber(redis.call('HGET', KEYS[2], id) or '0')
if applied < seen then return {0, epoch} end
redis.call('HSET', KEYS[3], id, tonumber(redis.call('GET', KEYS[4]) or '0'))
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), id)
for _, gone in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - 600000)) do
  redis.call('ZREM', KEYS[1], gone)
  redis.call('HDEL', KEYS[2], gone)
  redis.call('HDEL', KEYS[3], gone)
end
return {1, epoch}
"""

# How many processes with a running lease (other than ARGV[2]) have not yet applied
# generation ARGV[1]. KEYS: members, applied.
_BEHIND = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local behind = 0
for _, id in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], now, '+inf')) do
  if id ~= ARGV[2] and tonumber(redis.call('HGET', KEYS[2], id) or '0') < tonumber(ARGV[1]) then
    behind = behind + 1
  end
end
return behind
"""


class _Resync(Exception):
    """The copy can no longer follow the published stamps: build it anew."""


class MirroredVersions(RedisVersions):
    """RedisVersions whose serving processes answer from a copy in memory (see above)."""

    def __init__(self, url: str, prefix: str, lease: float) -> None:
        import redis

        super().__init__(url, prefix)
        self.lease = lease
        self.heartbeat = lease * HEARTBEAT_SHARE
        # Its own connections, outside the requests' breaker: the lease says when to stop.
        self._client: Any = redis.Redis.from_url(
            url, socket_timeout=max(0.2, self.heartbeat), socket_connect_timeout=0.5
        )
        self._members_key = f"{prefix}:members"
        self._applied_key = f"{prefix}:applied"
        self._seen_key = f"{prefix}:seen"
        self._renew = self._client.register_script(_RENEW)
        self._behind = self._redis.register_script(_BEHIND)
        self.id = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        # The copy: stamps by slot, the newest generation applied, its epoch.
        self._stamps: dict[int, int] = {}
        self._generation = 0
        self._epoch = b""
        self._incarnation = 0
        self._synced = False
        self._until = 0.0  # monotonic time the lease lapses here
        self._resync_wanted = False
        self._serving_pid = 0

    # -- reading ----------------------------------------------------------------------------

    def _in_memory(self) -> bool:
        return self._synced and time.monotonic() < self._until and not self._owed

    def snapshot(self) -> object | None:
        incarnation = self._incarnation
        if self._in_memory():
            snapshot = (self._epoch, self._generation, self._contact, incarnation)
            if self._incarnation == incarnation:
                return snapshot
        kept = self._asked_snapshot()
        return None if kept is None else (*kept, -1)

    def still_valid(self, snapshot: object, slots: Sequence[int]) -> bool:
        epoch, generation, contact, incarnation = cast(tuple[bytes, int, int, int], snapshot)
        if incarnation == self._incarnation and self._in_memory():
            stamps = self._stamps
            for slot in slots:  # a loop, not all() over a generator: every kept answer
                if stamps.get(slot, 0) > generation:
                    return False
            # Read again: a copy rebuilt meanwhile says nothing of this page.
            return incarnation == self._incarnation
        return super().still_valid((epoch, generation, contact), slots)

    # -- writing ----------------------------------------------------------------------------

    def bump(self, tags: Iterable[str]) -> None:
        slots = sorted({slot_of(tag) for tag in tags})
        generation, epoch, emptied = self._bump_slots(slots)
        if emptied:
            # Redis had forgotten everything, leases too: wait until every lease taken
            # before has lapsed or its holder has seen the new epoch at its renewal.
            time.sleep(self.lease)
        if epoch == self._epoch:  # this process's own pages are stale at once
            for slot in slots:
                if self._stamps.get(slot, 0) < generation:
                    self._stamps[slot] = generation
            self._generation = max(self._generation, generation)
        else:  # Redis restarted empty: stop answering from a copy of what it forgot
            self._synced = False
            self._resync_wanted = True
        self._wait_for_everyone(generation)

    def _wait_for_everyone(self, generation: int) -> None:
        """Return once every other serving process has applied the generation, or its
        lease has lapsed. A renewal is refused to a process left behind, so this ends
        within the lease and two heartbeats; the limit below is a last guard."""
        limit = time.monotonic() + self.lease + 3 * self.heartbeat + 1.0
        pause = 0.0005
        while True:
            try:
                keys = [self._members_key, self._applied_key]
                behind = int(self._behind(keys=keys, args=[generation, self.id]))
            except Exception:
                logger.warning("page cache: could not see who applied a write", exc_info=True)
                return
            if not behind:
                return
            if time.monotonic() > limit:
                logger.warning("page cache: %d server(s) did not apply a write in time", behind)
                return
            time.sleep(pause)
            pause = min(pause * 2, 0.01)

    # -- following --------------------------------------------------------------------------

    def serve(self) -> None:
        """Start following the published stamps, once in each process (after a fork too)."""
        if self._serving_pid == os.getpid() or self.lease <= 0:
            return
        self._serving_pid = os.getpid()
        self._synced = False
        self._until = 0.0
        for target, name in ((self._follow, "follow"), (self._keep_lease, "lease")):
            threading.Thread(target=target, name=f"pagecache-{name}", daemon=True).start()
        atexit.register(self.leave)

    def leave(self) -> None:
        """Give the lease back, so that writes no longer wait for this process, and stop
        following the stamps."""
        self._serving_pid = 0
        self._until = 0.0
        try:
            self._client.zrem(self._members_key, self.id)
        except Exception:  # the lease lapses by itself
            logger.debug("page cache: could not give the lease back", exc_info=True)

    def _follow(self) -> None:
        while self._serving_pid == os.getpid():
            try:
                self._sync_and_apply()
            except Exception as error:
                self._synced = False
                if self._serving_pid == os.getpid() and not isinstance(error, _Resync):
                    logger.warning("page cache: lost the pushed stamps", exc_info=True)
                time.sleep(self.heartbeat)

    def _sync_and_apply(self) -> None:
        self._synced = False
        self._resync_wanted = False
        pubsub = self._client.pubsub()
        try:
            pubsub.subscribe(self._channel)
            deadline = time.monotonic() + self.lease
            while True:  # subscribed before reading the generation: nothing after is missed
                message = pubsub.get_message(timeout=self.heartbeat)
                if message is not None and message["type"] == "subscribe":
                    break
                if time.monotonic() > deadline:
                    raise _Resync
            pipe = self._client.pipeline(transaction=False)
            pipe.hsetnx(self._stamps_key, "epoch", secrets.token_hex(8))
            pipe.hget(self._stamps_key, "epoch")
            pipe.get(self._gen_key)
            _, epoch, generation = pipe.execute()
            # A new incarnation before the copy changes: pages kept before are stale.
            self._incarnation += 1
            self._stamps = {}
            self._epoch = bytes(epoch)
            self._generation = int(generation or 0)
            self._client.hset(self._applied_key, self.id, self._generation)
            self._synced = True
            while self._serving_pid == os.getpid():
                message = pubsub.get_message(timeout=self.heartbeat)
                if self._resync_wanted:
                    raise _Resync
                newest = 0
                while message is not None:
                    if message["type"] == "message":
                        newest = self._apply(message["data"])
                    message = pubsub.get_message(timeout=0)
                if newest:
                    self._client.hset(self._applied_key, self.id, newest)
        finally:
            self._synced = False
            pubsub.close()

    def _apply(self, data: bytes) -> int:
        epoch, generation, *slots = data.split()
        if epoch != self._epoch:  # Redis restarted empty
            raise _Resync
        stamp = int(generation)
        stamps = self._stamps
        # Stamps first, then the generation: a snapshot that reads it finds them in place.
        for slot in slots:
            if stamps.get(int(slot), 0) < stamp:
                stamps[int(slot)] = stamp
        self._generation = max(self._generation, stamp)
        return stamp

    def _keep_lease(self) -> None:
        lease_ms = int(self.lease * 1000)
        while self._serving_pid == os.getpid():
            asked = time.monotonic()
            renewed = False
            if self._synced:
                try:
                    keys = [self._members_key, self._applied_key, self._seen_key]
                    keys += [self._gen_key, self._stamps_key]
                    args: list[str | int] = [self.id, lease_ms, secrets.token_hex(8)]
                    answer, epoch = self._renew(keys=keys, args=args)
                    renewed = bool(answer) and bytes(epoch) == self._epoch
                    if not answer:  # refused: the copy fell behind, build it anew
                        logger.warning("page cache: fell behind the pushed stamps; rebuilding")
                    if not renewed:  # or Redis restarted empty: its copy says nothing now
                        self._synced = False
                        self._resync_wanted = True
                except Exception:
                    if self._serving_pid == os.getpid():
                        logger.warning("page cache: could not renew the lease", exc_info=True)
            if renewed:
                if asked >= self._until:  # taken again after a lapse: start afresh
                    self._incarnation += 1
                self._until = asked + self.lease * LOCAL_SHARE
            time.sleep(max(0.0, self.heartbeat - (time.monotonic() - asked)))
