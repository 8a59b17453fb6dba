"""knowhow serve: the production server (granian, WSGI), static files through whitenoise."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve the site with a production server (granian)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("KNOWHOW_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("KNOWHOW_PORT", "8000")))
        parser.add_argument(
            "--workers",
            type=int,
            default=int(os.environ.get("KNOWHOW_WORKERS", str(os.cpu_count() or 1))),
        )
        parser.add_argument(
            "--threads",
            type=int,
            default=int(os.environ.get("KNOWHOW_THREADS", "4")),
            help="Threads per worker that run Django views.",
        )
        parser.add_argument(
            "--no-collectstatic", action="store_true", help="Skip collecting static files first."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from granian import Granian
        from granian.constants import Interfaces

        if not options["no_collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        host, port = options["host"], options["port"]
        self.stdout.write(f"knowhow: serving on http://{host}:{port}/ (Ctrl+C stops)")
        if settings.EMAIL_BACKEND.endswith("filebased.EmailBackend"):
            mail_dir = getattr(settings, "EMAIL_FILE_PATH", "")
            self.stdout.write(f"knowhow: outgoing email is written to {mail_dir}")
        self.stdout.flush()
        Granian(
            "knowhow.wsgi:application",
            address=host,
            port=port,
            interface=Interfaces.WSGI,
            workers=options["workers"],
            blocking_threads=options["threads"],
            log_access=False,
        ).serve()
