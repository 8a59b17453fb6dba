"""Tasks that send email try again later when the mail server cannot be reached.

An attempt that fails on the way to the mail server queues the same call again after a
growing pause (BACKOFF), and is itself recorded as failed with WillRetry, so the operator
sees every attempt. After the last pause the failure is kept as it is: a failed task with
its error, listed by `knowhow tasks` and in the admin, never dropped silently.

Every task that sends email is made with retrying_task, and nothing that sends one passes
fail_silently: tests/notifications/test_every_email_waits_for_the_mail_server.py fails when a
plain task sends mail.

A retried task must be safe to run twice: reply emails record whom they reached
(SentNotification), so a retry writes only to those the failed attempt missed.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Callable
from typing import Any

from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks.base import Task, TaskContext
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger(__name__)

# Seconds to wait before each retry: 1 min, 5 min, 30 min, 2 h, 12 h; then give up.
BACKOFF = (60, 300, 1800, 7200, 43200)
# The mail server down, unreachable, slow or refusing for now; not a mistake in the task.
TRANSIENT = (OSError, smtplib.SMTPException)
ATTEMPT = "retry_attempt"


class WillRetry(Exception):
    """This attempt failed; the same call is queued to run again later."""


WILL_RETRY = f"{WillRetry.__module__}.{WillRetry.__qualname__}"


def retry_at(attempt: int, now: dt.datetime | None = None) -> dt.datetime | None:
    """When to try again after the given failed attempt (0 = the first), or None: give up."""
    if attempt >= len(BACKOFF):
        return None
    return (now or timezone.now()) + dt.timedelta(seconds=BACKOFF[attempt])


def can_wait(this: Task[Any, Any]) -> bool:
    """Whether the task's queue can hold it until a later time (run_after)."""
    return bool(this.get_backend().supports_defer)


def enqueue_at(this: Task[Any, Any], when: dt.datetime, *args: Any, **kwargs: Any) -> None:
    """Queue the task to run at `when`, or now where the queue cannot wait."""
    (this.using(run_after=when) if can_wait(this) else this).enqueue(*args, **kwargs)


def retrying_task(func: Callable[..., Any]) -> Task[Any, Any]:
    """A task of func that is queued again, with backoff, when the mail server fails it."""

    def attempt_once(context: TaskContext, *args: Any, **kwargs: Any) -> Any:
        attempt = int(kwargs.pop(ATTEMPT, 0))
        try:
            return func(*args, **kwargs)
        except TRANSIENT as exc:
            this = context.task_result.task
            when = retry_at(attempt)
            if when is not None and not can_wait(this):
                # A queue that runs tasks at once (the immediate backend) cannot wait.
                raise
            if when is None:
                logger.error("Gave up on %s after %d attempts: %s", func.__name__, attempt + 1, exc)
                raise
            this.using(run_after=when).enqueue(*args, **kwargs, **{ATTEMPT: attempt + 1})
            logger.warning(
                "%s failed (attempt %d): %s; trying again at %s",
                func.__name__,
                attempt + 1,
                exc,
                when.isoformat(timespec="seconds"),
            )
            raise WillRetry(f"attempt {attempt + 1} failed: {exc}; next at {when}") from exc

    # Named as func, so the queue records the task by func's import path; not wraps(), whose
    # __wrapped__ would hide the context argument the task backend checks for.
    for name in ("__module__", "__name__", "__qualname__", "__doc__"):
        setattr(attempt_once, name, getattr(func, name))
    MAIL_TASKS.add(f"{func.__module__}.{func.__qualname__}")
    return task(takes_context=True)(attempt_once)


# The import paths of the tasks made with retrying_task: the mail queue (/healthz).
MAIL_TASKS: set[str] = set()


def mail_waiting_since(now: dt.datetime | None = None) -> dt.datetime | None:
    """When the oldest email still waiting to go out was first asked for, or None.

    A retried email is a new row queued at its last failure: the pauses before it are
    counted back to when the first attempt was queued."""
    now = now or timezone.now()
    waiting = DBTaskResult.objects.filter(
        task_path__in=sorted(MAIL_TASKS),
        status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING],
    ).only("enqueued_at", "args_kwargs")[:1000]
    oldest = None
    for result in waiting:
        tried = attempts(result) - 1
        first = result.enqueued_at - dt.timedelta(seconds=sum(BACKOFF[: max(tried - 1, 0)]))
        oldest = first if oldest is None else min(oldest, first)
    return oldest


def gave_up(result: DBTaskResult) -> bool:
    """Whether a failed task was left failed: not retried, nothing more will happen to it."""
    return result.exception_class_path != WILL_RETRY


def attempts(result: DBTaskResult) -> int:
    """How many times this call has been tried, counting this row's run or coming run."""
    return int(result.args_kwargs.get("kwargs", {}).get(ATTEMPT, 0)) + 1


def last_error(result: DBTaskResult) -> str:
    """The last line of the task's traceback: the error, as the operator reads it."""
    lines = [line for line in result.traceback.splitlines() if line.strip()]
    return lines[-1].strip() if lines else ""


def unfinished_tasks(*, limit: int) -> tuple[list[DBTaskResult], list[DBTaskResult]]:
    """(failed for good, waiting to run), newest failures and soonest runs first."""
    failed = list(
        DBTaskResult.objects.failed()
        .exclude(exception_class_path=WILL_RETRY)
        .order_by("-finished_at")[:limit]
    )
    pending = list(
        DBTaskResult.objects.filter(
            status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING]
        ).order_by("run_after", "enqueued_at")[:limit]
    )
    return failed, pending
