"""A bounded wait on PostgreSQL while a web request is served.

A PostgreSQL server that hangs (stopped, a host that stopped answering) keeps its
connections open and never answers: a query on a connection kept from an earlier request
(CONN_MAX_AGE) would wait forever, and a reader with it. While a request is served (from
Django's request_started to its request_finished), each query, the connection's health
check and new connections may wait at most DATABASE_WAIT_SECONDS
(KNOWHOW_DATABASE_WAIT_SECONDS). Once the database has not answered, the request's later
calls give up at once: one wait per request, whatever it still asks (its error mail too).
A read replica's connections are bounded the same way, each on its own account: one that
does not answer gives up its later calls alone, and knowhow.replicas reads from the primary.

One watchdog thread per process keeps the deadlines of the queries running: a query still
running at its deadline has its connection's socket shut down, so the blocked read returns
and the query fails with an OperationalError, which the outage handling
(knowhow.server.outage) answers with the styled 503 that keeps the reader's text. A query
costs a lock, a dictionary entry and no thread of its own.

Commands (backup, import, migrate) and the task worker serve no request and wait as long
as their queries take.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import psycopg.connection
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse

from knowhow.server import outage

logger = logging.getLogger(__name__)


@dataclass
class _Request:
    seconds: float  # what one call may wait
    connect_until: float | None = None  # new connections of this request: one wait in all
    hung: bool = False  # the database did not answer: later calls give up at once
    # Read replicas that did not answer: their later calls give up at once, while the
    # primary's still wait (knowhow.replicas reads from the primary instead).
    hung_replicas: set[str] = field(default_factory=set)


# The request served in this context; None outside a request (commands, the worker).
_request: contextvars.ContextVar[_Request | None] = contextvars.ContextVar(
    "database_wait", default=None
)


class Watchdog:
    """Shuts down the socket of a query still running at its deadline."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._woken = threading.Condition(self._lock)
        self._watched: dict[int, tuple[float, int]] = {}  # token: (deadline, socket)
        self._next = 0
        self._pid = 0
        self.cut = 0  # sockets shut down so far, for tests and logs

    def watch(self, fd: int, seconds: float) -> int:
        """Cut the socket fd if still watched in `seconds`; the token to unwatch it."""
        with self._lock:
            if self._pid != os.getpid():  # a new process (a server worker forked)
                self._pid = os.getpid()
                self._watched.clear()
                threading.Thread(target=self._run, name="database-watchdog", daemon=True).start()
            self._next += 1
            # Deadlines come in the order they are given (one wait for all): only the
            # first one needs the thread woken.
            if not self._watched:
                self._woken.notify()
            self._watched[self._next] = (time.monotonic() + seconds, fd)
            return self._next

    def unwatch(self, token: int) -> None:
        with self._lock:
            self._watched.pop(token, None)

    @contextlib.contextmanager
    def watching(self, fd: int, seconds: float) -> Iterator[None]:
        token = self.watch(fd, seconds)
        try:
            yield
        finally:
            self.unwatch(token)

    def _run(self) -> None:
        with self._lock:
            while True:
                if not self._watched:
                    self._woken.wait()
                    continue
                now = time.monotonic()
                token, (deadline, fd) = min(self._watched.items(), key=lambda item: item[1][0])
                if deadline > now:
                    self._woken.wait(deadline - now)
                    continue
                # Still watched under the lock: the query still runs, so the socket is still
                # its connection's (the thread that would close it is blocked in the query).
                del self._watched[token]
                self.cut += 1
                _shut_down(fd)


def _shut_down(fd: int) -> None:
    try:
        copy = socket.fromfd(fd, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        return
    try:
        copy.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    finally:
        copy.close()
    logger.warning("database: no answer within the request's wait; its connection was cut")


WATCHDOG = Watchdog()
# Seconds a call waits once the request found the database hung: none to speak of.
AT_ONCE = 0.001


def _socket(wrapper: Any) -> int | None:
    raw = wrapper.connection
    try:
        return int(raw.pgconn.socket) if raw is not None else None
    except Exception:  # closed or broken: the call fails at once by itself
        return None


def _watched(request: _Request, call: Callable[[], Any], wrapper: Any = connection) -> Any:
    fd = _socket(wrapper)
    if fd is None:
        return call()
    primary = wrapper.alias == DEFAULT_DB_ALIAS
    hung = request.hung if primary else wrapper.alias in request.hung_replicas
    cut = WATCHDOG.cut
    try:
        with WATCHDOG.watching(fd, AT_ONCE if hung else request.seconds):
            return call()
    except Exception:
        if WATCHDOG.cut != cut:  # (another thread's cut counts too: then it hangs for all)
            if primary:
                request.hung = True
            else:
                request.hung_replicas.add(wrapper.alias)
        raise


def _bounded(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    """An execute_wrapper on every connection: bounded in a request, as is outside one."""
    request = _request.get()
    if request is None:
        return execute(sql, params, many, context)
    wrapper = context.get("connection", connection) if isinstance(context, dict) else connection
    return _watched(request, lambda: execute(sql, params, many, context), wrapper)


_connect_timeout = psycopg.connection.timeout_from_conninfo


def _bounded_connect_timeout(params: Any) -> float:
    # psycopg waits for a new connection at least 2 s (libpq's rule for connect_timeout);
    # a request's new connections share one wait.
    timeout: float = _connect_timeout(params)
    request = _request.get()
    if request is None:
        return timeout
    now = time.monotonic()
    if request.hung:
        return AT_ONCE
    if request.connect_until is None:
        request.connect_until = now + request.seconds
    left = request.connect_until - now
    if left <= AT_ONCE:
        request.hung = True
    return max(min(timeout, left), AT_ONCE)


psycopg.connection.timeout_from_conninfo = _bounded_connect_timeout  # type: ignore[assignment]


def _health_check(request: _Request, wrapper: Any = connection) -> None:
    """Django's check of a kept connection (CONN_HEALTH_CHECKS), within the bound: a
    connection that the server closed is replaced as Django would; one of the primary's
    that got no answer is an outage (raised), not a reason to wait again for a new one. A
    read replica's is closed: knowhow.replicas then finds it away and reads elsewhere."""
    if wrapper.connection is None or wrapper.health_check_done:
        return
    try:
        with wrapper.wrap_database_errors:
            _watched(request, lambda: wrapper.connection.execute("SELECT 1"), wrapper)
    except OperationalError:
        wrapper.close()
        if request.hung and wrapper.alias == DEFAULT_DB_ALIAS:
            raise
        return
    except Exception:
        wrapper.close()
        return
    wrapper.health_check_done = True


def _started(**kwargs: Any) -> None:
    seconds = settings.DATABASE_WAIT_SECONDS
    bounded = seconds and connection.vendor == "postgresql"
    _request.set(_Request(seconds) if bounded else None)
    if bounded:
        # On this thread's connections (the primary's, a read replica's), for good: outside
        # a request it lets calls be.
        for wrapper in connections.all():
            if _bounded not in wrapper.execute_wrappers:
                wrapper.execute_wrappers.append(_bounded)


def _finished(**kwargs: Any) -> None:
    _request.set(None)


def _server_bound(sender: Any, connection: Any, **kwargs: Any) -> None:
    """A connection made while a request is served (a server thread's, kept for its later
    requests) has the server give up on a statement at the same bound: a query cut here
    stops using the database there too. One statement per new connection."""
    request = _request.get()
    if request is None or connection.vendor != "postgresql":
        return
    milliseconds = max(int(request.seconds * 1000), 1)
    try:
        _watched(
            request,
            lambda: connection.connection.execute(f"SET statement_timeout = {milliseconds}"),
            connection,
        )
    except Exception:  # the query that follows fails (or waits) as it would have
        logger.warning("database: statement_timeout could not be set")


request_started.connect(_started, dispatch_uid="knowhow.server.database_wait.started")
request_finished.connect(_finished, dispatch_uid="knowhow.server.database_wait.finished")
connection_created.connect(_server_bound, dispatch_uid="knowhow.server.database_wait.server")


class DatabaseWait:
    """Middleware: a kept connection that gets no answer to its health check, within the
    request's wait, is an outage: the styled 503 rather than a wait for a new one."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        bound = _request.get()
        if bound is not None:
            try:
                for wrapper in connections.all():
                    _health_check(bound, wrapper)
            except OperationalError as error:
                return outage.logged_unavailable(request, error)
        return self.get_response(request)
