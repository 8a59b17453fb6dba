"""Which database errors mean "the database cannot serve now" (away, locked, full), as
opposed to a fault in a query, which keeps its 500 and traceback."""

from __future__ import annotations

from django.db import InterfaceError, OperationalError

# SQLite reports a missing table or a bad statement as an OperationalError too: those are
# faults of the code or of a migration.
_SQLITE_PROGRAMMING = ("no such ", "syntax error", "has no column")


def is_outage(error: BaseException) -> bool:
    if not isinstance(error, OperationalError | InterfaceError):
        return False
    return not any(words in str(error) for words in _SQLITE_PROGRAMMING)
