"""Housekeeping needs no cron: the worker keeps one round queued, each round clears what
has expired and queues the next, and one failing job stops neither the others nor the
schedule."""

from __future__ import annotations

import datetime as dt
import signal
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from knowhow.antiabuse.models import RateCount
from knowhow.server import housekeeping

HOUSEKEEPING = "knowhow.server.housekeeping.housekeeping"


def _waiting() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path=HOUSEKEEPING, status="READY"))


def _session(key: str, expires: dt.datetime) -> None:
    Session.objects.create(session_key=key, session_data="e30:x", expire_date=expires)


def _finished_task(status: str, days_ago: int, error: str = "") -> DBTaskResult:
    result = housekeeping.housekeeping.enqueue()
    row = DBTaskResult.objects.get(pk=result.id)
    row.status = status
    row.finished_at = timezone.now() - dt.timedelta(days=days_ago)
    row.exception_class_path = error
    row.save()
    return row


@pytest.mark.django_db
def test_a_round_clears_what_expired_and_keeps_what_is_live(run_worker: Any) -> None:
    now = timezone.now()
    _session("old" * 8, now - dt.timedelta(minutes=1))
    _session("new" * 8, now + dt.timedelta(days=1))
    RateCount.objects.create(bucket="spent", count=3, expires_at=now - dt.timedelta(hours=1))
    RateCount.objects.create(bucket="live", count=3, expires_at=now + dt.timedelta(hours=1))
    old_done = _finished_task("SUCCESSFUL", days_ago=8)
    new_done = _finished_task("SUCCESSFUL", days_ago=1)
    retried = _finished_task("FAILED", 8, "knowhow.retries.WillRetry")
    gave_up = _finished_task("FAILED", 8, "ConnectionRefusedError")
    ancient_failure = _finished_task("FAILED", 91, "ConnectionRefusedError")

    assert housekeeping.schedule()
    run_worker()

    assert list(Session.objects.values_list("session_key", flat=True)) == ["new" * 8]
    assert list(RateCount.objects.values_list("bucket", flat=True)) == ["live"]
    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert new_done.pk in left and gave_up.pk in left  # the operator still sees the failure
    assert not {old_done.pk, retried.pk, ancient_failure.pk} & left


@pytest.mark.django_db
def test_each_round_queues_the_next_and_only_one_waits(
    run_worker: Any, clock: Any, settings: Any
) -> None:
    settings.HOUSEKEEPING_MINUTES = 60
    assert housekeeping.schedule()
    assert not housekeeping.schedule()  # a second worker starting queues no second round
    run_worker()
    (next_round,) = _waiting()
    assert next_round.run_after - timezone.now() > dt.timedelta(minutes=59)
    _session("old" * 8, timezone.now() + dt.timedelta(minutes=30))

    run_worker()  # not due yet: nothing runs
    assert _waiting() == [next_round] and Session.objects.exists()

    clock.advance(61 * 60)
    run_worker()  # due: it runs, clears the session that expired meanwhile, queues the next
    next_round.refresh_from_db()
    assert next_round.status == TaskResultStatus.SUCCESSFUL
    assert not Session.objects.exists()
    assert len(_waiting()) == 1


def broken_job(*, now: dt.datetime) -> int:
    raise RuntimeError("this job is broken")


@pytest.mark.django_db
def test_a_failing_job_stops_neither_the_others_nor_the_schedule(
    run_worker: Any, settings: Any
) -> None:
    settings.HOUSEKEEPING_JOBS = [
        "tests.server.test_housekeeping_runs_by_itself.broken_job",
        "knowhow.server.housekeeping.clear_expired_sessions",
    ]
    _session("old" * 8, timezone.now() - dt.timedelta(minutes=1))
    housekeeping.schedule()
    run_worker()
    assert not Session.objects.exists()
    assert len(_waiting()) == 1


@pytest.mark.django_db
def test_the_worker_queues_housekeeping_when_it_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    _session("old" * 8, timezone.now() - dt.timedelta(minutes=1))
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:  # a long-running worker, stopped after its first task
        call_command("db_worker", max_tasks=1, startup_delay=False, reload=False, verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    assert not Session.objects.exists()
    assert len(_waiting()) == 1


@pytest.mark.django_db(transaction=True)
def test_a_round_queued_before_an_upgrade_runs_after_it(run_worker: Any) -> None:
    # Older releases queued the round under the name of the module it then lived in.
    executor = MigrationExecutor(connection)
    executor.migrate([("server", None)])
    queued = housekeeping.housekeeping.enqueue()
    DBTaskResult.objects.filter(pk=queued.id).update(
        task_path="knowhow.site.housekeeping.housekeeping"
    )
    _session("old" * 8, timezone.now() - dt.timedelta(minutes=1))

    executor = MigrationExecutor(connection)  # a fresh loader sees the migration unapplied
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert [str(row.pk) for row in _waiting()] == [queued.id]
    assert not housekeeping.schedule()  # the old round is the one waiting: no second one
    run_worker()
    assert DBTaskResult.objects.get(pk=queued.id).status == TaskResultStatus.SUCCESSFUL
    assert not Session.objects.exists()
    assert len(_waiting()) == 1  # and it queued the next round, as any round does
