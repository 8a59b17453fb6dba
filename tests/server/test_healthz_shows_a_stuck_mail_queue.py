"""/healthz shows a task worker that does not keep up and an email left waiting, while
pages are still served (200, "degraded")."""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from knowhow.accounts.tasks import send_reset_links


def test_a_reset_email_waiting_for_an_hour_shows(
    transactional_db: None, clock: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    send_reset_links.enqueue("reader@example.org")
    fresh = json.loads(Client().get("/healthz").content)
    assert (fresh["mail"], fresh["worker"]) == ("ok", "ok")

    clock.advance(3600)
    answer = Client().get("/healthz")
    assert answer.status_code == 200
    found = json.loads(answer.content)
    assert found["status"] == "degraded"
    assert found["mail"] == "late"
    assert found["details"]["mail"].startswith("the oldest email has waited 360")
    assert found["worker"] == "late"  # nothing took the task in an hour: no worker runs
