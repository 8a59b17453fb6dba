"""The test process's database made unreachable for a while, on SQLite or PostgreSQL."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.db import connection

ADMINS = "Ann Lee <ann@example.org>, ops@example.org"


@pytest.fixture(autouse=True, params=["plain", "every option on"])
def options(request: pytest.FixtureRequest, settings: Any) -> str:
    """Autouse where imported: each test runs plain, and with the admins emailed about
    server errors (a served site also gets Redis and the access log), whose handling must
    not turn an outage's page into a bare error."""
    if request.param != "plain":
        settings.ADMINS = [("Ann Lee", "ann@example.org"), ("ops", "ops@example.org")]
    return str(request.param)


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens there once the socket closes


@contextmanager
def database_unreachable() -> Iterator[None]:
    """Until the block ends, opening the database fails: SQLite's file cannot be opened,
    PostgreSQL's server does not answer. Needs transactional_db (no test transaction)."""
    connection.close()
    saved = dict(connection.settings_dict)
    if connection.vendor == "sqlite":
        connection.settings_dict["NAME"] = "/nonexistent-folder/knowhow.sqlite3"
    else:
        connection.settings_dict["HOST"] = "127.0.0.1"
        connection.settings_dict["PORT"] = str(_closed_port())
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict.clear()
        connection.settings_dict.update(saved)
