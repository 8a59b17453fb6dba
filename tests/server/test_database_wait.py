"""The bounded wait on PostgreSQL: the watchdog cuts a call still waiting at its deadline,
in a web request only; a command's slow query runs to its end."""

from __future__ import annotations

import socket
import time

import pytest
from django.db import OperationalError, connection
from django.test import override_settings

from knowhow.server import database_wait

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = pytest.mark.timing


def test_the_watchdog_cuts_a_read_still_waiting_at_its_deadline() -> None:
    ours, theirs = socket.socketpair()
    try:
        started = time.monotonic()
        with database_wait.WATCHDOG.watching(ours.fileno(), 0.2):
            assert ours.recv(1) == b""  # shut down: the read returns
        assert 0.15 < time.monotonic() - started < 1.5
    finally:
        ours.close()
        theirs.close()


def test_a_call_that_ends_in_time_is_left_alone() -> None:
    ours, theirs = socket.socketpair()
    try:
        cut = database_wait.WATCHDOG.cut
        with database_wait.WATCHDOG.watching(ours.fileno(), 0.2):
            theirs.send(b"x")
            assert ours.recv(1) == b"x"
        time.sleep(0.3)
        assert database_wait.WATCHDOG.cut == cut
        theirs.send(b"y")
        assert ours.recv(1) == b"y"
    finally:
        ours.close()
        theirs.close()


postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the bound is for PostgreSQL's connections"
)


@postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(DATABASE_WAIT_SECONDS=0.2)
def test_a_slow_query_outside_a_request_is_not_cut() -> None:
    database_wait._started()  # this thread's connection gets the wrapper, as in a server
    database_wait._finished()  # and the request ends: a command's query follows
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(0.6)")
    assert database_wait._bounded in connection.execute_wrappers


@postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(DATABASE_WAIT_SECONDS=0.2)
def test_a_slow_query_in_a_request_is_cut_at_the_bound() -> None:
    database_wait._started()
    try:
        started = time.monotonic()
        with pytest.raises(OperationalError), connection.cursor() as cursor:
            cursor.execute("SELECT pg_sleep(5)")
        assert time.monotonic() - started < 2
    finally:
        database_wait._finished()
        connection.close()


@postgres_only
@pytest.mark.django_db(transaction=True)
@override_settings(DATABASE_WAIT_SECONDS=0.2)
def test_a_connection_made_in_a_request_has_the_server_give_up_too() -> None:
    connection.close()
    database_wait._started()
    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone() == ("200ms",)
    finally:
        database_wait._finished()
        connection.close()
    with connection.cursor() as cursor:  # a command's connection: no bound
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("0",)
