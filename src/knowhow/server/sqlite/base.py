"""Django's SQLite backend, with writers that queue instead of sleeping and retrying.

SQLite lets one writer in at a time; the others retry after growing sleeps (up to 100 ms
each), so under load some writers wait far longer than the writes take. Here each write
transaction first takes an exclusive lock on a file beside the database: waiting writers
sleep in the kernel and the next one starts the moment the last one commits, in every
process and thread of every server on the machine.

A statement that writes outside a transaction (Django's autocommit: a task queued once a
post commits, a save() outside transaction.atomic) is its own transaction to SQLite, and
would meet a writer with SQLite's sleeps instead of the queue: it takes the lock for the
statement too.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from typing import Any

from django.db.backends.sqlite3 import base

# Statements that only read: run as they come. Anything else in autocommit may write.
_READS = ("SELECT", "PRAGMA", "EXPLAIN")


class QueuedCursor(base.SQLiteCursorWrapper):
    """A cursor whose statements outside a transaction queue on the writers' lock when
    they may write."""

    wrapper: DatabaseWrapper

    def execute(self, query: str, params: Any = None) -> Any:
        if self.wrapper._writing or not self.wrapper.get_autocommit() or _reads(query):
            return super().execute(query, params)
        with self.wrapper._writer_queue():
            return super().execute(query, params)

    def executemany(self, query: str, param_list: Any) -> Any:
        if self.wrapper._writing or not self.wrapper.get_autocommit() or _reads(query):
            return super().executemany(query, param_list)
        with self.wrapper._writer_queue():
            return super().executemany(query, param_list)


def _reads(query: str) -> bool:
    return query.lstrip()[:7].upper().startswith(_READS)


class DatabaseWrapper(base.DatabaseWrapper):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writer_fd: int | None = None
        self._writing = False

    def _lock_path(self) -> str | None:
        name = str(self.settings_dict["NAME"])
        if not name or name == ":memory:" or "mode=memory" in name:
            return None
        return name + "-writer.lock"

    def create_cursor(self, name: str | None = None) -> Any:
        cursor = self.connection.cursor(factory=QueuedCursor)
        cursor.wrapper = self
        return cursor

    @contextlib.contextmanager
    def _writer_queue(self) -> Iterator[None]:
        """The writers' lock for one statement in autocommit."""
        self._take_write_lock()
        try:
            yield
        finally:
            self._release_write_lock()

    def _take_write_lock(self) -> None:
        path = self._lock_path()
        if path is None or self._writing:
            return
        if self._writer_fd is None:
            self._writer_fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._writer_fd, fcntl.LOCK_EX)
        self._writing = True

    def _release_write_lock(self) -> None:
        if self._writing and self._writer_fd is not None:
            fcntl.flock(self._writer_fd, fcntl.LOCK_UN)
        self._writing = False

    def _start_transaction_under_autocommit(self) -> None:
        self._take_write_lock()
        try:
            super()._start_transaction_under_autocommit()  # type: ignore[misc]
        except BaseException:
            self._release_write_lock()
            raise

    def _commit(self) -> Any:
        try:
            return super()._commit()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _rollback(self) -> Any:
        try:
            return super()._rollback()  # type: ignore[misc]
        finally:
            self._release_write_lock()

    def _close(self) -> Any:
        try:
            return super()._close()  # type: ignore[misc]
        finally:
            self._release_write_lock()
            if self._writer_fd is not None:
                os.close(self._writer_fd)
                self._writer_fd = None
