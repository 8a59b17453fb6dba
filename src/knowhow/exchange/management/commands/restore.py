"""knowhow restore FILE: put a backup in place of this site's content, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowhow.exchange.backup import BackupRefused, restore_backup
from knowhow.exchange.progress import bars


class Command(BaseCommand):
    help = (
        "Restore a backup made by `knowhow backup`. Refused over a site with content "
        "unless --replace is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A backup made by `knowhow backup`.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Wipe this site's content (articles, posts, accounts, ...) and restore.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with bars(shown=options["verbosity"] > 0) as progress:
                done = restore_backup(
                    options["file"], replace=options["replace"], progress=progress
                )
        except BackupRefused as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Restored {sum(done.counts.values())} rows and {done.media} image files from "
            f"{options['file']}; {done.indexed} articles indexed for search. Everyone "
            "signs in again."
        )
