"""knowhow db_worker: the task worker, which also keeps housekeeping scheduled.

A worker that runs until stopped makes sure one housekeeping round is queued when it
starts; each round queues the next. `--batch` (run what is queued, then exit) does not.
"""

from __future__ import annotations

import argparse
import logging
from typing import Any

from django.db import DatabaseError
from django_tasks_db.management.commands import db_worker

from knowhow.server import housekeeping
from knowhow.server.parent_death import end_with_parent

logger = logging.getLogger(__name__)


class Command(db_worker.Command):
    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--parent",
            type=int,
            metavar="PID",
            help="stop when the process PID ends (knowhow serve gives its own pid)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options.get("parent"):
            end_with_parent(options["parent"])
        if not options.get("batch"):
            try:
                housekeeping.schedule()
            except DatabaseError as exc:  # the worker's own loop reports the database
                logger.warning("Could not schedule housekeeping: %s", exc)
        super().handle(*args, **options)
