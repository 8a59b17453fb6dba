"""Connections to Redis that give up fast once Redis has stopped answering.

Each call already has its timeouts (knowhow.config: a second to connect, a second to
answer). A request makes many calls, though (its session, rate limits, page versions), and
each would wait its second. Here the first call that times out or fails opens a breaker
for that Redis: every call after it fails at once, without a socket, for PAUSE_SECONDS;
then calls are let through again, and the first answer closes the breaker. A hung Redis so
costs a request about one timeout, not one per call.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import redis
from redis.connection import (
    Connection,
    ConnectionPool,
    SSLConnection,
    UnixDomainSocketConnection,
)

PAUSE_SECONDS = 5.0
_FAILURES = (redis.ConnectionError, redis.TimeoutError, OSError)


class Breaker:
    """Open (failing fast) for a while after a failure; closed again by an answer."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.open_until = 0.0
        self._lock = threading.Lock()

    def check(self) -> None:
        if time.monotonic() < self.open_until:
            raise redis.ConnectionError(
                f"Redis at {self.where} did not answer a moment ago; not asked again for "
                f"{PAUSE_SECONDS:g} s"
            )

    def trip(self) -> None:
        with self._lock:
            self.open_until = time.monotonic() + PAUSE_SECONDS

    def close(self) -> None:
        if self.open_until:
            with self._lock:
                self.open_until = 0.0


_breakers: dict[str, Breaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(where: str) -> Breaker:
    with _breakers_lock:
        return _breakers.setdefault(where, Breaker(where))


class _Guarded:
    """Mixed into redis-py's connection classes: every socket step goes past the breaker."""

    breaker: Breaker

    def connect(self) -> None:
        self.breaker.check()
        try:
            super().connect()  # type: ignore[misc]
        except _FAILURES:
            self.breaker.trip()
            raise

    def send_packed_command(self, *args: Any, **kwargs: Any) -> None:
        self.breaker.check()
        try:
            super().send_packed_command(*args, **kwargs)  # type: ignore[misc]
        except _FAILURES:
            self.breaker.trip()
            raise

    def read_response(self, *args: Any, **kwargs: Any) -> Any:
        try:
            answer = super().read_response(*args, **kwargs)  # type: ignore[misc]
        except _FAILURES:
            self.breaker.trip()
            raise
        self.breaker.close()
        return answer


class GuardedConnection(_Guarded, Connection):
    pass


class GuardedSSLConnection(_Guarded, SSLConnection):
    pass


class GuardedUnixConnection(_Guarded, UnixDomainSocketConnection):
    pass


_GUARDED: dict[type, type] = {
    Connection: GuardedConnection,
    SSLConnection: GuardedSSLConnection,
    UnixDomainSocketConnection: GuardedUnixConnection,
}


class GuardedPool(ConnectionPool):
    """redis-py's pool, whose connections share one breaker per Redis server. Django's
    RedisCache takes it as OPTIONS["pool_class"]; the page cache's versions use it too."""

    def __init__(self, connection_class: type = Connection, **kwargs: Any) -> None:
        guarded = _GUARDED.get(connection_class, connection_class)
        where = (
            kwargs.get("path") or f"{kwargs.get('host', 'localhost')}:{kwargs.get('port', 6379)}"
        )
        breaker = breaker_for(str(where))
        # A class per pool that knows its breaker: redis-py makes connections from the class.
        bound = type(guarded.__name__, (guarded,), {"breaker": breaker})
        super().__init__(connection_class=bound, **kwargs)
        self.breaker = breaker

    def get_connection(self, *args: Any, **kwargs: Any) -> Any:
        self.breaker.check()
        return super().get_connection(*args, **kwargs)
