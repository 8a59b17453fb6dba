"""knowhow serve: the production server (granian, WSGI), static files through whitenoise.

Before serving it checks that the database answers and holds every migration, fits the
server's connections in the database's limit and says what it runs with. It also runs the
background task worker (`knowhow db_worker`, which sends reply emails) as a child process
it keeps running (knowhow.server.supervision), reloads both on `kill -HUP`, and stops both
when serving stops. An app server of a fleet runs without it (`--no-worker`, or
KNOWHOW_TASK_WORKER=false), the worker machines running `knowhow db_worker`.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import os
import sys
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils.module_loading import import_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS
from django_tasks_db import DatabaseBackend

from knowhow import config
from knowhow.server import env_file, preflight, static_files
from knowhow.server.parent_death import SERVE_PID
from knowhow.server.supervision import Supervised

# Seconds a server process may take to finish its requests when serving stops or reloads.
WORKER_STOP_SECONDS = 10


def uses_database_queue() -> bool:
    """Whether background tasks go to the database queue, which needs a worker process."""
    backend = settings.TASKS.get(DEFAULT_TASK_BACKEND_ALIAS, {}).get("BACKEND", "")
    try:
        return issubclass(import_string(backend), DatabaseBackend)
    except ImportError:
        return False


def worker_command() -> list[str]:
    """`knowhow db_worker` with the Python running this command, ending when this does."""
    parent = str(os.getpid())
    return [sys.executable, "-m", "knowhow", "db_worker", "--no-reload", "--parent", parent]


def whole_number(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number; got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"must be between {low} and {high}; got {value}")
        return value

    return parse


def say_if_database_unready() -> None:
    """On reload (after an upgrade, say): the new code may need migrations not yet run."""
    try:
        preflight.database_ready()
    except CommandError as refusal:
        logging.getLogger("knowhow.serve").error("reloading, but %s", refusal)
    finally:
        connections.close_all()


def granian_logging() -> dict[str, Any] | None:
    """granian's logging, in the site's JSON lines when KNOWHOW_LOG_FORMAT=json."""
    if settings.LOG_FORMAT != "json":
        return None
    json_lines = {"()": "knowhow.server.logs.JsonLines"}
    return {"formatters": {"generic": json_lines, "access": json_lines}}


class Command(BaseCommand):
    help = "Serve the site with a production server (granian), and run the task worker."

    def add_arguments(self, parser: CommandParser) -> None:
        # Defaults come from KNOWHOW_HOST, _PORT, _WORKERS and _THREADS (knowhow.config).
        parser.add_argument("--host")
        parser.add_argument("--port", type=whole_number(*config.PORTS))
        parser.add_argument(
            "--workers",
            type=whole_number(*config.worker_bounds()),
            help="Server processes (one per CPU).",
        )
        parser.add_argument(
            "--threads",
            type=whole_number(*config.THREADS),
            help="Threads per worker that run views.",
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Skip collecting static files first."
        )
        parser.add_argument(
            "--no-worker",
            action="store_true",
            help="Do not start the task worker (run `knowhow db_worker` yourself); "
            "KNOWHOW_TASK_WORKER=false does the same.",
        )

    def say(self, line: str) -> None:
        self.stdout.write(f"knowhow: {line}")

    def handle(self, *args: Any, **options: Any) -> None:
        from granian import Granian
        from granian.constants import Interfaces

        # Read with the settings (knowhow.config): a bad value already stopped the command.
        defaults = settings.SERVE
        host = options["host"] or defaults.host
        port = options["port"] if options["port"] is not None else defaults.port
        workers = options["workers"] if options["workers"] is not None else defaults.workers
        threads = options["threads"] if options["threads"] is not None else defaults.threads
        chosen = defaults.chosen or options["workers"] is not None or options["threads"] is not None
        task_worker = defaults.task_worker and not options["no_worker"] and uses_database_queue()

        preflight.database_ready()
        workers, threads, lowered = preflight.fit_connections(
            workers,
            threads,
            task_worker=task_worker,
            chosen=chosen,
            budget=preflight.connection_budget(),
        )
        # Server processes and the task worker open their own connections.
        connections.close_all()
        if not options["no_collectstatic"]:
            static_files.collect(self.say)
        env_file.remember(os.environ)
        # Emailed links name the port this server listens on (knowhow.links).
        os.environ["KNOWHOW_PORT"] = str(port)
        # The processes started below end with this one, even when it is killed.
        os.environ[SERVE_PID] = str(os.getpid())

        # The server's own lines (the task worker started, ended, restarted) are worth
        # seeing at the default level, WARNING; a level set for them is kept.
        serve_log = logging.getLogger("knowhow.serve")
        if serve_log.level == logging.NOTSET:
            serve_log.setLevel(logging.INFO)
        for line in preflight.summary(workers=workers, threads=threads, task_worker=task_worker):
            self.say(line)
        if lowered:
            self.say(lowered)
        worker: Supervised | None = None
        if task_worker:
            # Same interpreter, same environment: the worker sees the same settings.
            worker = Supervised("task worker", worker_command(), env=os.environ.copy())
            worker.start()
        self.say(f"serving on http://{host}:{port}/ (Ctrl+C stops, kill -HUP reloads)")
        self.stdout.flush()
        # Server processes start from a fresh interpreter, so after an upgrade `kill -HUP`
        # brings them the new code, and none inherits this process's threads.
        start_method = multiprocessing.get_start_method(allow_none=True)
        multiprocessing.set_start_method("spawn", force=True)
        try:
            server = Granian(
                "knowhow.wsgi:application",
                address=host,
                port=port,
                interface=Interfaces.WSGI,
                workers=workers,
                blocking_threads=threads,
                log_access=False,
                # The server's own lines in the site's format (JSON lines when it is json).
                log_dictconfig=granian_logging(),
                respawn_failed_workers=True,
                workers_kill_timeout=WORKER_STOP_SECONDS,
            )
            # The settings file first: the new server processes and the worker start with it.
            server.on_reload(lambda: env_file.reload_into(os.environ))
            server.on_reload(say_if_database_unready)
            if worker is not None:
                server.on_reload(lambda: worker.restart(env=os.environ.copy()))
            server.serve()
        finally:
            multiprocessing.set_start_method(start_method, force=True)
            if worker is not None:
                worker.stop()
