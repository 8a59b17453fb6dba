"""knowhow backup FILE: the whole site, image files included, in one file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowhow.exchange.backup import BackupRefused, write_backup
from knowhow.exchange.progress import bars


class Command(BaseCommand):
    help = "Write the whole site (every row and image file) to one file, for `knowhow restore`."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="The backup to write, e.g. site.knowhow.zip")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if path.is_dir():
            raise CommandError(f"{path} is a folder: name the file to write.")
        if not path.parent.is_dir():
            raise CommandError(f"{path.parent} does not exist: make the folder first.")
        try:
            with bars(shown=options["verbosity"] > 0) as progress:
                manifest = write_backup(path, progress=progress)
        except BackupRefused as error:
            raise CommandError(str(error)) from None
        rows = sum(m["count"] for m in manifest.models)
        self.stdout.write(
            f"Backed up {rows} rows of {len(manifest.models)} kinds and "
            f"{len(manifest.media)} image files to {path}."
        )
