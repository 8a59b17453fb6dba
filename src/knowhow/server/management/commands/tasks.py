"""knowhow tasks: background work that failed for good or is still waiting, with its error."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django_tasks_db.models import DBTaskResult, get_date_max

from knowhow.retries import attempts, last_error, unfinished_tasks


def _when(result: DBTaskResult) -> str:
    moment = result.enqueued_at if result.run_after == get_date_max() else result.run_after
    return moment.isoformat(timespec="seconds")


class Command(BaseCommand):
    help = "List background tasks that failed for good (with their error) and those waiting."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--limit", type=int, default=50, help="At most this many of each.")

    def handle(self, *args: Any, **options: Any) -> None:
        failed, pending = unfinished_tasks(limit=max(1, options["limit"]))
        self.stdout.write(f"Failed ({len(failed)}):")
        for result in failed:
            finished = (
                result.finished_at.isoformat(timespec="seconds") if result.finished_at else ""
            )
            self.stdout.write(
                f"  {result.id}  {result.task_name}  failed {finished}"
                f"  after {attempts(result)} attempt(s): {last_error(result)}"
            )
        self.stdout.write(f"Waiting ({len(pending)}):")
        for result in pending:
            self.stdout.write(
                f"  {result.id}  {result.task_name}  {result.status.lower()}"
                f"  attempt {attempts(result)}  runs {_when(result)}"
            )
        if failed:
            self.stdout.write("Failed tasks are also listed in the admin, under Task Results.")
