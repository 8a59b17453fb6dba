"""/healthz: what this process can reach, part by part, for a load balancer or a monitor.

- database: one trivial query; without it pages cannot be served, the one part that
  makes the answer a 503;
- cache: one key written and read back; pages are served without it (slower), so it only
  makes the answer "degraded";
- worker: whether the task worker keeps up: a task due for more than WORKER_LATE_SECONDS
  and not started means the worker is dead or stuck;
- mail: how long the oldest email still waiting has waited (a reset link the mail server
  refused an hour ago shows here), "late" past MAIL_LATE_SECONDS;
- replicas (with KNOWHOW_DATABASE_REPLICA_URLS): how this process last found each read
  replica; one away or lagging makes the answer "degraded", as pages read from the primary.

The database and the cache are asked at once, each in a thread of its own, with a deadline
(knowhow.server.probes): a hung server makes the answer say "no answer", never hang it. It is
never cached, and it names what failed, never a host or a setting.
"""

from __future__ import annotations

import importlib
import logging
import os
import secrets
import threading
from typing import Any

from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult, get_date_max

from knowhow import replicas, retries
from knowhow.server import probes

logger = logging.getLogger(__name__)

# Seconds the database and the cache are given to answer (asked at the same time).
DEADLINE_SECONDS = 2.0
WORKER_LATE_SECONDS = 300
MAIL_LATE_SECONDS = 900
# Where the tasks that send mail are made: imported so the mail queue knows them all.
MAIL_MODULES = (
    "knowhow.accounts.tasks",
    "knowhow.accounts.signin_links",
    "knowhow.moderation.digest",
    "knowhow.newsroom.answer_mail",
    "knowhow.notifications.confirmations",
    "knowhow.notifications.tasks",
)


def _database() -> str:
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT 1")
        if cursor.fetchone() != (1,):
            raise RuntimeError("a wrong answer")
    return "answered"


def _cache() -> str:
    # A key per process and thread, written over by each check: probes at once never read
    # each other's value, and they leave a bounded number of keys behind.
    key = f"knowhow:healthz:{os.getpid()}:{threading.get_ident()}"
    value = secrets.token_hex(6)
    cache.set(key, value, timeout=60)
    if cache.get(key) != value:
        raise RuntimeError("a value written was not read back")
    return "answered"


def _queue() -> dict[str, Any]:
    """The worker's and the mail queue's parts, read from the task queue's table."""
    for module in MAIL_MODULES:
        importlib.import_module(module)
    now = timezone.now()
    due = DBTaskResult.objects.ready().order_by("run_after", "enqueued_at").first()
    parts: dict[str, Any] = {}
    if due is None:
        parts["worker"] = ("ok", "no task waiting")
    else:
        since = due.enqueued_at if due.run_after == get_date_max() else due.run_after
        since = max(since, due.enqueued_at)
        waited = int((now - since).total_seconds())
        late = waited > WORKER_LATE_SECONDS
        parts["worker"] = ("late" if late else "ok", f"the oldest due task waited {waited} s")
    first = retries.mail_waiting_since(now)
    if first is None:
        parts["mail"] = ("ok", "no email waiting")
    else:
        waited = int((now - first).total_seconds())
        late = waited > MAIL_LATE_SECONDS
        parts["mail"] = ("late" if late else "ok", f"the oldest email has waited {waited} s")
    return parts


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    queue: dict[str, tuple[str, str]] = {}

    def database_and_queue() -> str:
        answered = _database()
        try:
            queue.update(_queue())
        except Exception as error:  # the queue's table unreadable: the worker's part says so
            logger.warning("health: task queue unreadable: %s", error)
        return answered

    found = probes.all_within(DEADLINE_SECONDS, {"database": database_and_queue, "cache": _cache})
    states: dict[str, str] = {}
    details: dict[str, str] = {}
    for part, probe in found.items():
        states[part] = "ok" if probe.ok else "failed"
        # What failed, not where: an error's own words may name a host.
        quiet = probe.ok or probe.found.startswith("no answer")
        details[part] = probe.found if quiet else "refused or failed"
        if not probe.ok:
            logger.warning("health: %s check failed: %s", part, probe.found)
    for part in ("worker", "mail"):
        states[part], details[part] = queue.get(part, ("unknown", "the queue could not be read"))
    seen = replicas.states()
    if seen:  # as this process last found them: pages read from the primary meanwhile
        usable = ("in use", "not asked yet")
        states["replicas"] = "ok" if all(state in usable for state in seen.values()) else "failed"
        details["replicas"] = ", ".join(f"{alias} {state}" for alias, state in seen.items())
    serving = states["database"] == "ok"
    everything = all(state == "ok" for state in states.values())
    status = "ok" if everything else "degraded" if serving else "failing"
    answer = {"status": status, **states, "details": details}
    response = JsonResponse(answer, status=200 if serving else 503)
    # Its 503 is the answer asked for, logged above in one line: not a server error to
    # report to the admins through a task queue in the database that just failed.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
