"""Rate limits (posting, signing in and up, reset emails), counted where every process of
the site sees the same count: in the cache when it is shared and counts atomically
(Redis, memcached), else in the database, whose transactions make each count atomic.

When the shared cache cannot be reached (Redis stopped), counts go to the database until
it can: posting and signing in keep working, still limited. A window that spans the
switch may allow up to twice its count, once in each place; that is the price of never
turning readers away because the cache is down.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from knowhow.antiabuse.models import RateCount
from knowhow.counters import add_and_read

logger = logging.getLogger(__name__)

# Caches whose counters live outside the process and whose increments are atomic.
SHARED_CACHES = ("RedisCache", "PyMemcacheCache", "PyLibMCCache")


@dataclass(frozen=True)
class Limited:
    """A refusal: how long until the reader may try again."""

    retry_after: int


def counts_in_cache() -> bool:
    """Whether the cache counts for every process; else the database does."""
    return str(settings.CACHES["default"]["BACKEND"]).endswith(SHARED_CACHES)


def _buckets(
    key: str, rates: list[tuple[int, int]], moment: float
) -> Iterator[tuple[str, int, int, int]]:
    """(bucket, allowed count, window start, window length) of each rate at a moment."""
    for count, window in rates:
        start = int(moment // window) * window
        yield f"ratelimit:{key}:{window}:{start}", count, start, window


def hit(key: str, rates: list[tuple[int, int]], now: float | None = None) -> Limited | None:
    """Count one event for key against each (count, window) rate; None if within all of them.

    Fixed windows: a window's counter lasts until the window ends. An event over a limit
    is not counted, so a refused reader is not punished for retrying.
    """
    moment = time.time() if now is None else now
    if counts_in_cache():
        try:
            return _hit_cache(key, rates, moment)
        except Exception as error:  # the cache is away: the database counts meanwhile
            _cache_away(error)
    return _hit_database(key, rates, moment)


def _cache_away(error: Exception) -> None:
    logger.warning(
        "rate limits: the cache cannot be reached (%s: %s); counting in the database",
        type(error).__name__,
        str(error)[:200],
    )


def undo(key: str, rates: list[tuple[int, int]], now: float) -> None:
    """Take back an event counted by hit(key, rates, now): it turned out not to count."""
    for bucket, _, _, _ in _buckets(key, rates, now):
        if counts_in_cache():
            try:
                with contextlib.suppress(ValueError):
                    cache.decr(bucket)
                continue
            except Exception as error:  # counted in the database, then (see hit)
                _cache_away(error)
        RateCount.objects.filter(bucket=bucket, count__gt=0).update(count=F("count") - 1)


def _hit_cache(key: str, rates: list[tuple[int, int]], moment: float) -> Limited | None:
    counted: list[str] = []
    for bucket, count, start, window in _buckets(key, rates, moment):
        cache.add(bucket, 0, timeout=window + 1)
        try:
            value = cache.incr(bucket)
        except ValueError:  # expired between add and incr
            cache.add(bucket, 1, timeout=window + 1)
            value = 1
        counted.append(bucket)
        if value > count:
            for key_ in counted:
                with contextlib.suppress(ValueError):
                    cache.decr(key_)
            return Limited(retry_after=max(1, int(start + window - moment)))
    return None


def _hit_database(key: str, rates: list[tuple[int, int]], moment: float) -> Limited | None:
    # One transaction: each UPDATE waits for the row's earlier writers (SQLite queues every
    # writer), so no two processes read the same count; a refusal rolls every count back.
    fresh = False
    with transaction.atomic():
        for bucket, count, start, window in _buckets(key, rates, moment):
            value = add_and_read(RateCount, key_field="bucket", key=bucket, column="count")
            if value is None:
                expires = dt.datetime.fromtimestamp(start + window, tz=dt.UTC)
                _, created = RateCount.objects.get_or_create(
                    bucket=bucket, defaults={"count": 1, "expires_at": expires}
                )
                if not created:  # another process made it first: count on top of theirs
                    value = add_and_read(RateCount, key_field="bucket", key=bucket, column="count")
                value = value or 1
                fresh = True
            if value > count:
                transaction.set_rollback(True)
                return Limited(retry_after=max(1, int(start + window - moment)))
    if fresh:
        # A window began: finished ones go, so the table holds only live counts.
        RateCount.objects.filter(expires_at__lt=dt.datetime.fromtimestamp(moment, dt.UTC)).delete()
    return None


def clear_spent_counts(*, now: dt.datetime) -> int:
    """Delete the database's counts of rate windows that have ended (housekeeping)."""
    deleted, _ = RateCount.objects.filter(expires_at__lt=now).delete()
    return deleted
