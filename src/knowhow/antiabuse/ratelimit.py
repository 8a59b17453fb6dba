"""Posting rate limits, counted in the cache so every app process shares them (Redis)."""

from __future__ import annotations

import contextlib
import time
from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class Limited:
    """A refusal: how long until the reader may post again."""

    retry_after: int


def hit(key: str, rates: list[tuple[int, int]], now: float | None = None) -> Limited | None:
    """Count one event for key against each (count, window) rate; None if within all of them.

    Fixed windows: the counter for a window lives in the cache until the window ends. An
    event over a limit is not counted, so a refused reader is not punished for retrying.
    """
    moment = time.time() if now is None else now
    counted: list[str] = []
    for count, window in rates:
        start = int(moment // window) * window
        bucket = f"ratelimit:{key}:{window}:{start}"
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
