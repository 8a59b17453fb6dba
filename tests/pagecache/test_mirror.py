"""Page versions in each server's memory: never stale after a write's response, even for a
server cut off from Redis, and a write waits for such a server no longer than its lease."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from knowhow.pagecache.mirror import MirroredVersions
from knowhow.pagecache.versions import slot_of
from tests.throwaway_redis import ThrowawayRedis

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = pytest.mark.timing

LEASE = 0.5
ARTICLE = [slot_of("article-7")]


class Link:
    """A TCP path to Redis for one server alone, which the test can cut: connections stay
    open and nothing passes, as when a network drops packets."""

    def __init__(self, port: int) -> None:
        self.target = port
        self.open = threading.Event()
        self.open.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"redis://127.0.0.1:{self.listener.getsockname()[1]}/0"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
                upstream = socket.create_connection(("127.0.0.1", self.target))
            except OSError:  # Redis stopped at the end of the test
                return
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    def _pipe(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                self.open.wait()
                sink.sendall(data)
        except OSError:
            pass


_SERVING: list[MirroredVersions] = []


@pytest.fixture
def redis_server() -> Iterator[ThrowawayRedis]:
    server = ThrowawayRedis()
    server.start()
    try:
        yield server
    finally:
        # Every copy stops following before its Redis goes, even when the test failed:
        # no thread of this test outlives it, trying a server that is gone.
        while _SERVING:
            _SERVING.pop().leave()
        server.resume()
        server.stop()


def serving(url: str) -> MirroredVersions:
    versions = MirroredVersions(url, prefix="knowhow:mirror", lease=LEASE)
    versions.serve()
    _SERVING.append(versions)
    deadline = time.monotonic() + 5
    while not versions._in_memory():
        assert time.monotonic() < deadline, "never held a lease"
        time.sleep(0.01)
    return versions


def test_a_write_in_one_server_is_seen_by_the_other_from_memory(
    redis_server: ThrowawayRedis,
) -> None:
    writer, reader = serving(redis_server.url), serving(redis_server.url)
    before = reader.snapshot()
    # Checks cost no round trip: with Redis stalled, the kept page is still answered at once.
    redis_server.pause()
    started = time.monotonic()
    assert all(reader.still_valid(before, ARTICLE) for _ in range(1000))
    assert time.monotonic() - started < 0.1
    redis_server.resume()
    started = time.monotonic()
    writer.bump(["article-7"])
    assert time.monotonic() - started < 0.1  # everyone acknowledged at once
    assert not reader.still_valid(before, ARTICLE)
    assert reader.still_valid(before, [slot_of("article-8")])
    assert reader.still_valid(reader.snapshot(), ARTICLE)
    writer.leave()
    reader.leave()


def test_a_server_cut_off_from_redis_serves_nothing_stale_and_delays_a_write_at_most_its_lease(
    redis_server: ThrowawayRedis,
) -> None:
    link = Link(redis_server.port)
    writer, reader = serving(redis_server.url), serving(link.url)
    before = reader.snapshot()
    assert reader.still_valid(before, ARTICLE)
    link.open.clear()  # the reader alone loses Redis
    started = time.monotonic()
    writer.bump(["article-7"])
    waited = time.monotonic() - started
    # The write waited for the reader's lease to lapse, and no longer.
    assert 0.5 * LEASE < waited < LEASE + 2 * reader.heartbeat + 0.2
    assert not reader.still_valid(before, ARTICLE)  # neither from memory nor from Redis
    # Back in touch, the reader takes a new lease and keeps nothing from before.
    link.open.set()
    deadline = time.monotonic() + 5
    while not reader._in_memory():
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert not reader.still_valid(before, ARTICLE)
    assert not reader.still_valid(before, [slot_of("article-8")])
    fresh = reader.snapshot()
    started = time.monotonic()
    writer.bump(["article-8"])
    assert time.monotonic() - started < 0.1
    assert not reader.still_valid(fresh, [slot_of("article-8")])
    writer.leave()
    reader.leave()


def test_redis_restarting_empty_makes_every_page_kept_in_memory_stale(
    redis_server: ThrowawayRedis,
) -> None:
    writer, reader = serving(redis_server.url), serving(redis_server.url)
    writer.bump(["article-7"])
    writer.bump(["article-7"])
    before = reader.snapshot()
    import redis

    redis.Redis.from_url(redis_server.url).flushall()  # as good as a restart, stamps gone
    writer.bump(["article-8"])  # generation 1 again, in a new epoch
    assert not reader.still_valid(before, ARTICLE)
    writer.leave()
    reader.leave()
