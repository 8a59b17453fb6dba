"""knowhow serve: the production server (granian, WSGI), static files through whitenoise.

It also starts the background task worker (`knowhow db_worker`, which sends reply emails)
as a child process, and stops it when serving stops.
"""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.module_loading import import_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db import DatabaseBackend

from knowhow import config

WORKER_STOP_SECONDS = 10


def uses_database_queue() -> bool:
    """Whether background tasks go to the database queue, which needs a worker process."""
    backend = settings.TASKS.get(DEFAULT_TASK_BACKEND_ALIAS, {}).get("BACKEND", "")
    try:
        return issubclass(import_string(backend), DatabaseBackend)
    except ImportError:
        return False


def worker_command() -> list[str]:
    """`knowhow db_worker` with the Python running this command."""
    return [sys.executable, "-m", "knowhow", "db_worker", "--no-reload"]


def stop(process: subprocess.Popen[bytes]) -> None:
    """Ask the worker to finish its current task and exit; insist if it will not."""
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class Command(BaseCommand):
    help = "Serve the site with a production server (granian), and run the task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        # Defaults come from KNOWHOW_HOST, _PORT, _WORKERS and _THREADS (knowhow.config).
        parser.add_argument("--host")
        parser.add_argument("--port", type=int)
        parser.add_argument("--workers", type=int, help="Server processes (one per CPU).")
        parser.add_argument("--threads", type=int, help="Threads per worker that run views.")
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Skip collecting static files first."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the task worker (run `knowhow db_worker` yourself).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from granian import Granian
        from granian.constants import Interfaces

        try:
            defaults = config.serve_options()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from None
        host = options["host"] or defaults.host
        port = options["port"] or defaults.port
        workers = options["workers"] or defaults.workers
        threads = options["threads"] or defaults.threads
        if not (1 <= port <= 65535 and workers >= 1 and threads >= 1):
            raise CommandError("--port must be 1 to 65535; --workers and --threads at least 1")
        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        worker: subprocess.Popen[bytes] | None = None
        if not options["no_worker"] and uses_database_queue():
            # Same interpreter, same environment: the worker sees the same settings. Its own
            # process group keeps Ctrl+C from reaching it directly: this command stops it,
            # with one signal, so a task in progress may finish.
            worker = subprocess.Popen(  # noqa: S603
                worker_command(), env=os.environ.copy(), process_group=0
            )
            self.stdout.write(f"knowhow: task worker started (pid {worker.pid})")
        self.stdout.write(f"knowhow: serving on http://{host}:{port}/ (Ctrl+C stops)")
        if settings.EMAIL_BACKEND.endswith(("filebased.EmailBackend", "PrivateFileBackend")):
            mail_dir = getattr(settings, "EMAIL_FILE_PATH", "")
            self.stdout.write(f"knowhow: outgoing email is written to {mail_dir}")
        self.stdout.flush()
        try:
            Granian(
                "knowhow.wsgi:application",
                address=host,
                port=port,
                interface=Interfaces.WSGI,
                workers=workers,
                blocking_threads=threads,
                log_access=False,
            ).serve()
        finally:
            if worker is not None:
                stop(worker)
