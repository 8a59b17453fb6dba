"""Reads from PostgreSQL streaming replicas (KNOWHOW_DATABASE_REPLICA_URLS), everything else
from the primary.

Only a web request's reads may go to a replica (GET and HEAD; `ReadYourWrites` opens the
request's scope). Writes, reads inside a transaction, reads after a write in the same
request, commands, migrations and the task worker use the primary.

Never stale: a replica is used only when it has replayed the write-ahead log far enough.
- Whatever the page cache keeps (pages, parts of pages, sessions, accounts) is read inside
  `fresh_reads()`, taken after the cache's version snapshot: a replica serves it only if it
  has replayed everything the primary had written by then (pg_last_wal_replay_lsn() on the
  replica against pg_current_wal_insert_lsn() on the primary); otherwise the primary does.
- A visitor who just wrote carries a signed cookie with the primary's position after their
  write: their reads go to a replica only once it has replayed that far, and the cookie is
  dropped as soon as one has. Until then the page cache, which serves no visitor with it,
  leaves them to Django.
- A replica more than KNOWHOW_DATABASE_REPLICA_MAX_LAG_SECONDS behind the primary, or one
  that does not answer, is left aside (one log line) until it catches up or answers.
"""

from __future__ import annotations

import contextlib
import contextvars
import itertools
import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)

PRIMARY = "default"
PREFIX = "replica_"
# The cookie of a visitor who just wrote: the primary's log position after the write.
COOKIE = "knowhow_wrote"
_SALT = "knowhow.replicas.wrote"
# Seconds between a process's measures of a replica's lag, and between tries of one away.
MEASURE_EVERY = 1.0
RETRY_EVERY = 5.0
# Seconds the cookie outlives the longest lag a replica in use may have.
COOKIE_MARGIN = 3
_READING = frozenset({"GET", "HEAD", "OPTIONS"})


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith(PREFIX)]


def parse_lsn(text: str) -> int:
    """A PostgreSQL log position ("16/B374D848") as a number that orders as it does."""
    high, _, low = text.partition("/")
    return (int(high, 16) << 32) | int(low, 16)


def _position(alias: str, sql: str) -> int | None:
    with connections[alias].cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return parse_lsn(row[0]) if row and row[0] else None


def primary_position() -> int:
    """Where the primary's log ends now: every write committed so far lies before it."""
    return _position(PRIMARY, "SELECT pg_current_wal_insert_lsn()::text") or 0


def _replayed(alias: str) -> int | None:
    """How far the replica has replayed the primary's log; None if it is not replaying."""
    return _position(
        alias, "SELECT CASE WHEN pg_is_in_recovery() THEN pg_last_wal_replay_lsn()::text END"
    )


@dataclass
class _Reads:
    """What the reads in this scope may use."""

    replica_ok: bool = False  # a web request that only reads
    floor: int = 0  # the log position a replica must have replayed (the visitor's write)
    fresh: bool = False  # ...and everything the primary has now: the result will be kept
    wrote: bool = False
    alias: str | None = None  # chosen at the first read
    replayed: int = 0  # how far the chosen replica had replayed then


_reads: contextvars.ContextVar[_Reads | None] = contextvars.ContextVar(
    "knowhow_replica_reads", default=None
)


@dataclass
class _Health:
    """One process's view of one replica."""

    away_until: float = 0.0
    lagging: bool = False
    lagging_said: bool = False
    not_replaying: bool = False
    measured: float = 0.0
    # (when, the primary's position then): the replica is in use while it has replayed a
    # position the primary had at most the allowed lag ago.
    samples: deque[tuple[float, int]] = field(default_factory=deque)


_health: dict[str, _Health] = {}
_lock = threading.Lock()
_turns = itertools.count()


def _state_of(alias: str) -> _Health:
    with _lock:
        return _health.setdefault(alias, _Health())


def _went_away(alias: str, health: _Health, error: Exception, now: float) -> None:
    with contextlib.suppress(Exception):
        connections[alias].close()
    if health.away_until == 0.0:
        logger.warning(
            "database replica %s does not answer (%s); reading from the primary until it does",
            alias,
            str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__,
        )
    health.away_until = now + RETRY_EVERY


def _measure(alias: str, health: _Health, replayed: int, now: float) -> None:
    """Note the primary's position now, and whether the replica keeps within the lag."""
    if now - health.measured < MEASURE_EVERY:
        return
    health.measured = now
    position = primary_position()
    allowed = settings.DATABASE_REPLICA_MAX_LAG_SECONDS
    with _lock:
        samples = health.samples
        samples.append((now, position))
        while len(samples) > 1 and samples[1][0] < now - allowed:
            samples.popleft()
        caught_up = [when for when, seen in samples if seen <= replayed]
        watched = now - samples[0][0]
    # Not yet known to have replayed anything recent: the primary, until it has.
    lagging = not caught_up or now - max(caught_up) > allowed
    if lagging and not health.lagging_said and watched >= allowed:
        health.lagging_said = True
        logger.warning(
            "database replica %s is over %g s behind the primary; reading from the primary "
            "until it catches up",
            alias,
            allowed,
        )
    elif not lagging and health.lagging_said:
        health.lagging_said = False
        logger.warning("database replica %s has caught up; reading from it again", alias)
    health.lagging = lagging


def _choose(reads: _Reads) -> str:
    aliases = replica_aliases()
    if not aliases:
        return PRIMARY
    start = next(_turns)
    now = time.monotonic()
    for alias in (aliases[(start + i) % len(aliases)] for i in range(len(aliases))):
        health = _state_of(alias)
        if now < health.away_until:
            continue
        try:
            replayed = _replayed(alias)
        except DatabaseError as error:
            _went_away(alias, health, error, now)
            continue
        if replayed is None:
            if not health.not_replaying:
                logger.warning(
                    "database replica %s is not replaying a primary's log; not used", alias
                )
            health.not_replaying = True
            continue
        if health.away_until:
            logger.warning("database replica %s answers again; reading from it", alias)
        health.away_until = 0.0
        health.not_replaying = False
        # The primary's own failures are the request's (the outage page), not the replica's.
        _measure(alias, health, replayed, now)
        if health.lagging or replayed < reads.floor:
            continue
        if reads.fresh and replayed < primary_position():
            continue
        reads.replayed = replayed
        return alias
    return PRIMARY


def states() -> dict[str, str]:
    """How this process last found each replica: "in use", "away", "lagging", "not
    replaying" or "not asked yet" (no page has read since the process started)."""
    found = {}
    now = time.monotonic()
    for alias in replica_aliases():
        health = _health.get(alias)
        if health is None or not (health.measured or health.away_until or health.not_replaying):
            found[alias] = "not asked yet"
        elif now < health.away_until:
            found[alias] = "away"
        elif health.not_replaying:
            found[alias] = "not replaying"
        elif health.lagging:
            found[alias] = "lagging"
        else:
            found[alias] = "in use"
    return found


class ReplicaRouter:
    """Django's database router: reads as the scope allows, writes to the primary."""

    def db_for_read(self, model: Any, **hints: Any) -> str:
        reads = _reads.get()
        if reads is None or not reads.replica_ok or reads.wrote:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:  # a transaction reads what it locks
            return PRIMARY
        if reads.alias is None:
            reads.alias = _choose(reads)
        return reads.alias

    def db_for_write(self, model: Any, **hints: Any) -> str:
        reads = _reads.get()
        if reads is not None:
            reads.wrote = True
        return PRIMARY

    def allow_relation(self, first: Any, second: Any, **hints: Any) -> bool:
        return True  # every database holds the same rows

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


@contextlib.contextmanager
def fresh_reads() -> Iterator[None]:
    """Reads in this block are at least as new as the primary is now (taken after a version
    snapshot, they may be kept for as long as the snapshot holds)."""
    if not replica_aliases():
        yield
        return
    outer = _reads.get()
    inner = _Reads(
        replica_ok=outer.replica_ok if outer else False,
        floor=outer.floor if outer else 0,
        fresh=True,
        wrote=outer.wrote if outer else False,
    )
    token = _reads.set(inner)
    try:
        yield
    finally:
        _reads.reset(token)


class ReadYourWrites:
    """Middleware: opens a request's scope of reads, and gives a visitor who wrote the
    cookie that keeps their reads on a database that has their write."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not replica_aliases():
            return self.get_response(request)
        max_age = math.ceil(settings.DATABASE_REPLICA_MAX_LAG_SECONDS) + COOKIE_MARGIN
        floor = 0
        if COOKIE in request.COOKIES:
            seen = request.get_signed_cookie(COOKIE, default="", salt=_SALT, max_age=max_age)
            floor = int(seen) if seen and seen.isdigit() else 0
        outer = _reads.get()
        reads = _Reads(
            replica_ok=request.method in _READING,
            floor=floor,
            fresh=bool(outer and outer.fresh),
        )
        token = _reads.set(reads)
        try:
            response = self.get_response(request)
        finally:
            _reads.reset(token)
        if reads.wrote:
            try:
                position = primary_position()
            except DatabaseError:  # the answer stands; the visitor reads from the primary
                position = 1 << 62  # unknown: the primary, until the cookie ends
            response.set_signed_cookie(
                COOKIE,
                str(position),
                salt=_SALT,
                max_age=max_age,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
        elif COOKIE in request.COOKIES and (
            not floor or (reads.alias not in (None, PRIMARY) and reads.replayed >= floor)
        ):
            # A replica has the visitor's write (or the cookie says nothing): kept pages again.
            response.delete_cookie(COOKIE, samesite="Lax")
        return response
