"""Housekeeping: work the site does by itself on a schedule, with no cron to set up.

The task worker keeps one `housekeeping` task queued: when it runs it does every job named
in settings.HOUSEKEEPING_JOBS (expired sessions, old task results, spent rate-limit
counts, moderators' digests; scheduled work later) and queues itself again
HOUSEKEEPING_MINUTES later. One job failing does not stop the others or the schedule.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from knowhow.retries import WILL_RETRY

logger = logging.getLogger(__name__)

# Finished tasks are kept this long for the operator to look at; failures kept longer.
KEEP_FINISHED = dt.timedelta(days=7)
KEEP_FAILED = dt.timedelta(days=90)


@task()
def housekeeping() -> dict[str, Any]:
    """Run every housekeeping job, then queue the next round; returns what each job did."""
    done: dict[str, Any] = {}
    try:
        for path in settings.HOUSEKEEPING_JOBS:
            try:
                done[path] = import_string(path)(now=timezone.now())
            except Exception as exc:  # the other jobs and the next round still run
                logger.exception("Housekeeping job %s failed", path)
                done[path] = f"failed: {type(exc).__name__}"
    finally:
        schedule(after=dt.timedelta(minutes=settings.HOUSEKEEPING_MINUTES))
    return done


def _waiting() -> Any:
    return DBTaskResult.objects.filter(
        task_path=housekeeping.module_path, status=TaskResultStatus.READY
    )


def schedule(*, after: dt.timedelta = dt.timedelta()) -> bool:
    """Queue the next round unless one is already waiting; True if this queued it."""
    with transaction.atomic():
        if _waiting().exists():
            return False
        housekeeping.using(run_after=timezone.now() + after).enqueue()
    return True


def clear_expired_sessions(*, now: dt.datetime) -> int:
    """Delete sessions past their expiry (signed-out readers, abandoned browsers)."""
    deleted, _ = Session.objects.filter(expire_date__lt=now).delete()
    return deleted


def prune_task_results(*, now: dt.datetime) -> int:
    """Delete old results of finished tasks; tasks that failed for good are kept longer."""
    finished = DBTaskResult.objects.successful() | DBTaskResult.objects.failed().filter(
        exception_class_path=WILL_RETRY
    )
    old, _ = finished.filter(finished_at__lt=now - KEEP_FINISHED).delete()
    failed, _ = DBTaskResult.objects.failed().filter(finished_at__lt=now - KEEP_FAILED).delete()
    return old + failed
