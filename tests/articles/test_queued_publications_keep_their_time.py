"""A publication queued before the article write layer took its name still runs at its
time: the upgrade points its waiting task at the function where it now is."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from knowhow.articles import services

pytestmark = pytest.mark.django_db

STEP = importlib.import_module(
    "knowhow.articles.migrations.0011_queued_publications_follow_the_write_layer"
)


def test_a_publication_queued_under_the_old_name_runs_under_the_new_one(settings: Any) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    later = timezone.now() + dt.timedelta(hours=1)
    services.publish_scheduled.using(run_after=later).enqueue(7)
    queued = DBTaskResult.objects.get(task_path__endswith="publish_scheduled")
    DBTaskResult.objects.filter(pk=queued.pk).update(task_path=STEP.OLD)
    done = DBTaskResult.objects.create(
        task_path=STEP.OLD,
        status="SUCCEEDED",
        args_kwargs={"args": [8], "kwargs": {}},
        backend_name="default",
        queue_name="default",
    )

    assert STEP.rename(apps, None) == 1

    queued.refresh_from_db()
    assert queued.task_path == services.publish_scheduled.module_path
    assert queued.task.func is services.publish_scheduled.func
    assert queued.run_after == later
    done.refresh_from_db()
    assert done.task_path == STEP.OLD  # what already ran is history, left as it was
