"""The database being away is told from a fault in a query by the database's result code,
never by the words of its message."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from django.db import OperationalError

from knowhow.outages import is_outage


def _as_django_raises(statement: str, database: str = ":memory:") -> OperationalError:
    try:
        sqlite3.connect(database, timeout=0).execute(statement)
    except sqlite3.OperationalError as cause:
        wrapped = OperationalError(str(cause))
        wrapped.__cause__ = cause
        return wrapped
    raise AssertionError("the statement was expected to fail")


@pytest.mark.parametrize(
    "statement", ["SELECT * FROM no_such_table", "SELEC 1", "SELECT nope FROM sqlite_master"]
)
def test_a_fault_in_a_query_is_no_outage(statement: str) -> None:
    assert not is_outage(_as_django_raises(statement))


def test_a_locked_database_is_an_outage(tmp_path: Path) -> None:
    name = str(tmp_path / "db.sqlite3")
    holder = sqlite3.connect(name)
    holder.execute("CREATE TABLE t (x)")
    holder.commit()
    holder.execute("BEGIN EXCLUSIVE")
    try:
        assert is_outage(_as_django_raises("INSERT INTO t VALUES (1)", name))
    finally:
        holder.rollback()


def test_an_unopenable_database_is_an_outage(tmp_path: Path) -> None:
    assert is_outage(_as_django_raises("SELECT 1", str(tmp_path / "missing" / "db.sqlite3")))


def test_a_server_that_does_not_answer_is_an_outage() -> None:
    # PostgreSQL's drivers raise no SQLite code: any OperationalError is the server away.
    assert is_outage(OperationalError("server closed the connection unexpectedly"))


def test_other_errors_are_no_outage() -> None:
    assert not is_outage(ValueError("database is locked"))
