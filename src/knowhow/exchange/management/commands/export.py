"""knowhow export DIR: every article, its images and discussion, as files."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowhow.exchange.exporting import ExportRefused, export_site
from knowhow.exchange.progress import bars


class Command(BaseCommand):
    help = (
        "Export every article (all statuses) as Markdown with front matter, its lead image, "
        "its discussion as JSON, and the topics and people, into a folder that "
        "`knowhow import` reads back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("folder", help="an empty (or new) folder")
        parser.add_argument(
            "--replace", action="store_true", help="replace an earlier export in that folder"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        folder = Path(options["folder"])
        try:
            with bars(shown=sys.stderr.isatty() or options["verbosity"] > 1) as progress:
                summary = export_site(folder, replace=options["replace"], progress=progress)
        except ExportRefused as exc:
            raise CommandError(str(exc)) from None
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Exported {summary.articles} article(s), {summary.images} image(s) and "
                    f"{summary.discussions} discussion(s) with {summary.posts} post(s) "
                    f"to {folder}."
                )
            )
