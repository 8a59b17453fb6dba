"""On SQLite, writers queue on a lock file, so none sleeps and retries while another writes."""

from __future__ import annotations

import fcntl
import os
import threading

import pytest
from django.db import connection, connections, transaction

from knowhow.articles.models import Topic

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = [pytest.mark.timing, pytest.mark.django_db(transaction=True)]


def _lock_is_free(path: str) -> bool:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True


def test_a_write_transaction_holds_the_writers_lock_until_it_ends() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's writer queue; the PostgreSQL pass has row locks instead")
    path = connection.settings_dict["NAME"] + "-writer.lock"
    with transaction.atomic():
        Topic.objects.create(name="Locks")
        assert not _lock_is_free(path)
    assert _lock_is_free(path)
    with pytest.raises(RuntimeError), transaction.atomic():
        Topic.objects.create(name="Rolled back")
        assert not _lock_is_free(path)
        raise RuntimeError("undo")
    assert _lock_is_free(path)
    assert not Topic.objects.filter(name="Rolled back").exists()


def test_a_second_writer_waits_for_the_first_and_then_writes() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's writer queue; the PostgreSQL pass has row locks instead")
    first_in = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def first() -> None:
        with transaction.atomic():
            Topic.objects.create(name="First")
            first_in.set()
            release.wait(5)
            order.append("first commits")
        connections.close_all()

    def second() -> None:
        first_in.wait(5)
        with transaction.atomic():
            order.append("second begins")
            Topic.objects.create(name="Second")
        connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_in.wait(5)
    threading.Timer(0.3, release.set).start()
    for thread in threads:
        thread.join(10)
    assert order == ["first commits", "second begins"]
    assert set(Topic.objects.values_list("name", flat=True)) >= {"First", "Second"}


def test_a_write_outside_a_transaction_waits_in_the_same_queue() -> None:
    # An autocommit write (a task queued once a post commits, a save() outside atomic) is its own
    # transaction to SQLite: it queues on the lock rather than meeting SQLite's sleeps,
    # while a read outside a transaction does not wait for writers at all.
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's writer queue; the PostgreSQL pass has row locks instead")
    Topic.objects.create(name="Queued")
    path = connection.settings_dict["NAME"] + "-writer.lock"
    read, wrote = threading.Event(), threading.Event()

    def reader_then_writer() -> None:
        assert Topic.objects.filter(name="Queued").exists()
        read.set()
        Topic.objects.filter(name="Queued").update(name="Queued and written")
        wrote.set()
        connections.close_all()

    holder = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)  # another writer's turn
    thread = threading.Thread(target=reader_then_writer)
    try:
        thread.start()
        assert read.wait(5)
        assert not wrote.wait(0.3)
        assert not Topic.objects.filter(name="Queued and written").exists()
    finally:
        fcntl.flock(holder, fcntl.LOCK_UN)
        os.close(holder)
    assert wrote.wait(5)
    thread.join(5)
    assert Topic.objects.filter(name="Queued and written").exists()
    assert _lock_is_free(path)
