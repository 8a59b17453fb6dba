"""The versions every process shares: a write in one makes pages stale in all of them."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

from knowhow import redis_breaker
from knowhow.pagecache.versions import FileVersions, RedisVersions, slot_of
from tests.throwaway_redis import ThrowawayRedis


def test_a_bump_makes_older_snapshots_stale_for_that_tag_only(tmp_path: Path) -> None:
    versions = FileVersions(tmp_path / "versions")
    before = versions.snapshot()
    versions.bump(["article-1"])
    assert not versions.still_valid(before, [slot_of("article-1")])
    assert versions.still_valid(before, [slot_of("article-2")])
    assert versions.still_valid(versions.snapshot(), [slot_of("article-1")])


def test_a_bump_in_another_process_is_seen_at_once(tmp_path: Path) -> None:
    path = tmp_path / "versions"
    here = FileVersions(path)
    before = here.snapshot()
    code = (
        "from pathlib import Path; from knowhow.pagecache.versions import FileVersions; "
        f"FileVersions(Path({str(path)!r})).bump(['thread-7'])"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert not here.still_valid(before, [slot_of("thread-7")])


def _redis_url() -> str:
    cache = settings.CACHES["default"]
    if not cache["BACKEND"].endswith("RedisCache"):
        pytest.skip("runs in the PostgreSQL + Redis pass (make test-postgres)")
    location = cache["LOCATION"]
    return str(location[0] if isinstance(location, list | tuple) else location)


def test_redis_versions_are_shared_by_servers_on_other_machines() -> None:
    one = RedisVersions(_redis_url(), prefix="knowhow:test-versions")
    other = RedisVersions(_redis_url(), prefix="knowhow:test-versions")
    before = one.snapshot()
    assert before is not None
    other.bump(["article-3"])
    assert not one.still_valid(before, [slot_of("article-3")])
    assert one.still_valid(before, [slot_of("article-4")])


def test_redis_restarting_empty_makes_every_older_page_stale() -> None:
    import redis

    url = _redis_url()
    versions = RedisVersions(url, prefix="knowhow:test-restart")
    before = versions.snapshot()
    redis.Redis.from_url(url).delete(
        "knowhow:test-restart:generation", "knowhow:test-restart:stamps"
    )
    assert not versions.still_valid(before, [slot_of("article-9")])
    after = versions.snapshot()
    assert after is not None and versions.still_valid(after, [slot_of("article-9")])


def test_redis_out_of_reach_means_nothing_is_cached_and_nothing_breaks() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    versions = RedisVersions(f"redis://127.0.0.1:{port}/0", prefix="knowhow:gone")
    assert versions.snapshot() is None
    assert not versions.still_valid((b"x", 1, 0), [slot_of("article-1")])


def test_a_stamp_redis_missed_is_made_when_it_answers_again() -> None:
    url = _redis_url()
    writer = RedisVersions(url, prefix="knowhow:test-owed")
    reader = RedisVersions(url, prefix="knowhow:test-owed")
    before = reader.snapshot()
    working = writer._bump

    def unreachable(**kwargs: object) -> None:
        raise ConnectionError("Redis is away")

    writer._bump = unreachable
    with pytest.raises(ConnectionError):
        writer.bump(["article-5"])
    assert writer.snapshot() is None  # the writer keeps nothing while it owes a stamp
    writer._bump = working
    assert writer.snapshot() is not None  # Redis is back: the stamp is made first
    assert not reader.still_valid(before, [slot_of("article-5")])
    # and every other page, since every page depends on the site tag
    assert not reader.still_valid(before, [slot_of("site"), slot_of("topic-1")])


@pytest.fixture
def stalling_redis() -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis()
    server.start()
    yield server
    server.resume()
    server.stop()


def test_a_stamp_missed_in_a_stall_is_made_as_soon_as_redis_answers(
    stalling_redis: ThrowawayRedis,
) -> None:
    # The writer's next request may be minutes away; a server that did not notice the stall
    # must not go on serving pages from before the write until then.
    writer = RedisVersions(stalling_redis.url, prefix="knowhow:stall")
    reader = RedisVersions(stalling_redis.url, prefix="knowhow:stall")
    before = reader.snapshot()
    stalling_redis.pause()  # stalled, not restarted: its stamps survive
    with pytest.raises(Exception):  # noqa: B017 - whatever the client raises on a timeout
        writer.bump(["article-6"])
    stalling_redis.resume()
    deadline = time.monotonic() + 5
    while reader.still_valid(before, [slot_of("article-6")]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not reader.still_valid(before, [slot_of("article-6")])
    assert time.monotonic() < deadline


def test_a_server_that_lost_redis_for_a_while_keeps_nothing_from_before(
    stalling_redis: ThrowawayRedis, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(redis_breaker, "PAUSE_SECONDS", 0.1)
    reader = RedisVersions(stalling_redis.url, prefix="knowhow:lost")
    before = reader.snapshot()
    stalling_redis.pause()
    assert not reader.still_valid(before, [slot_of("article-7")])  # cannot know: not served
    stalling_redis.resume()
    time.sleep(0.2)  # the breaker lets calls through again
    # Another server may have written meanwhile and not stamped it yet: what was kept before
    # the silence is stale; what is kept after it is good.
    assert not reader.still_valid(before, [slot_of("article-7")])
    after = reader.snapshot()
    assert after is not None and reader.still_valid(after, [slot_of("article-7")])
