"""Which database errors mean "the database cannot serve now" (away, locked, full), as
opposed to a fault in a query, which keeps its 500 and traceback."""

from __future__ import annotations

import sqlite3

from django.db import InterfaceError, OperationalError

# SQLite reports a missing table or a bad statement as an OperationalError too, with its
# generic result code: those are faults of the code or of a migration. Busy, locked, full,
# unreadable and unopenable have codes of their own (sqlite.org/rescode.html).
_SQLITE_FAULT = sqlite3.SQLITE_ERROR


def is_outage(error: BaseException) -> bool:
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    cause = error.__cause__
    code = getattr(cause, "sqlite_errorcode", None) if isinstance(cause, sqlite3.Error) else None
    # The low byte is the primary result code; extended codes refine it.
    return code is None or code & 0xFF != _SQLITE_FAULT
