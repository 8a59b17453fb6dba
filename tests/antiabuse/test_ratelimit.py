"""Rate limits: fixed windows counted where every process sees them, a refusal not
counted, an event taken back, and the database standing in when the shared cache is away."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.cache import cache

from knowhow.antiabuse import ratelimit
from knowhow.antiabuse.models import RateCount

pytestmark = pytest.mark.django_db

RATES = [(3, 60)]
NOW = 1_800_000_020.0  # windows start at multiples of their length: 20 s into one


@pytest.fixture(params=["database", "cache"])
def counted_in(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Each test runs counting in the database and in a cache that counts for everyone."""
    monkeypatch.setattr(ratelimit, "counts_in_cache", lambda: request.param == "cache")
    cache.clear()  # the cache's counts outlive a test's transaction
    return str(request.param)


def test_events_within_the_rate_pass(counted_in: str) -> None:
    assert [ratelimit.hit("k", RATES, now=NOW) for _ in range(3)] == [None, None, None]


def test_the_event_over_the_rate_is_refused_with_when_to_come_back(counted_in: str) -> None:
    for _ in range(3):
        ratelimit.hit("k", RATES, now=NOW)
    limited = ratelimit.hit("k", RATES, now=NOW)
    assert limited is not None and limited.retry_after == 40


def test_a_refused_event_is_not_counted_so_retrying_costs_nothing(counted_in: str) -> None:
    for _ in range(3):
        ratelimit.hit("k", RATES, now=NOW)
    for _ in range(5):
        assert ratelimit.hit("k", RATES, now=NOW) is not None
    assert ratelimit.hit("k", RATES, now=NOW + 41) is None  # the next window


def test_keys_are_counted_apart(counted_in: str) -> None:
    for _ in range(3):
        ratelimit.hit("one", RATES, now=NOW)
    assert ratelimit.hit("two", RATES, now=NOW) is None


def test_every_rate_must_allow_the_event(counted_in: str) -> None:
    rates = [(10, 60), (2, 3600)]
    ratelimit.hit("k", rates, now=NOW)
    ratelimit.hit("k", rates, now=NOW)
    limited = ratelimit.hit("k", rates, now=NOW)
    assert limited is not None and limited.retry_after > 60


def test_an_event_taken_back_frees_its_place(counted_in: str) -> None:
    for _ in range(3):
        ratelimit.hit("k", RATES, now=NOW)
    ratelimit.undo("k", RATES, NOW)
    assert ratelimit.hit("k", RATES, now=NOW) is None


def test_the_database_counts_while_the_shared_cache_is_away(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ratelimit, "counts_in_cache", lambda: True)

    def away(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(cache, "add", away)
    for _ in range(3):
        assert ratelimit.hit("k", RATES, now=NOW) is None
    assert ratelimit.hit("k", RATES, now=NOW) is not None
    assert RateCount.objects.get().count == 3


def test_housekeeping_deletes_only_finished_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ratelimit, "counts_in_cache", lambda: False)
    ratelimit.hit("k", RATES, now=NOW)
    assert ratelimit.clear_spent_counts(now=dt.datetime.fromtimestamp(NOW, dt.UTC)) == 0
    later = dt.datetime.fromtimestamp(NOW + 120, dt.UTC)
    assert ratelimit.clear_spent_counts(now=later) == 1
