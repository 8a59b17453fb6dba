"""knowhow import PATH...: Markdown files (or folders of them) and WordPress exports."""

from __future__ import annotations

from typing import IO, Any, cast

from django.core.management.base import BaseCommand, CommandError, CommandParser
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn
from rich.text import Text

from knowhow.exchange.importing import FileOutcome, ImportReport, find_files, import_paths


class Command(BaseCommand):
    help = (
        "Import articles from Markdown files with front matter, folders of them (such as a "
        "`knowhow export`), and WordPress WXR exports. Each file is imported on its own: a "
        "refused file is named with its line and reason and the others still import. "
        "Importing again updates what changed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Markdown or WXR files, or folders")

    def handle(self, *args: Any, **options: Any) -> None:
        paths = options["paths"]
        files = find_files(paths)
        if not files:
            raise CommandError("No Markdown or WXR files found in " + ", ".join(paths))
        verbose = options["verbosity"] > 0
        if verbose and self.stdout.isatty():
            report = self._with_bar(paths, len(files))
        else:
            report = import_paths(paths, progress=self._line if verbose else None)
        notices = report.notices()
        if notices:  # listed at the end, where they are read
            self.stdout.write("Skipped or imported otherwise:\n" + "\n".join(notices))
        if report.refused:
            refusals = "\n".join(outcome.refused for outcome in report.refused)
            raise CommandError(f"{refusals}\n{report.summary()}")
        if verbose:
            self.stdout.write(self.style.SUCCESS(report.summary()))

    def _line(self, outcome: FileOutcome) -> None:
        if outcome.refused:
            self.stderr.write(f"refused: {outcome.refused}")
        else:
            self.stdout.write(outcome.describe())

    def _with_bar(self, paths: list[str], total: int) -> ImportReport:
        console = Console(file=cast("IO[str]", self.stdout._out))
        counts = {"created": 0, "updated": 0, "unchanged": 0, "refused": 0}
        columns = (
            TextColumn("[bold]Importing"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[counts]}"),
        )
        with Progress(*columns, console=console) as bar:
            task = bar.add_task("import", total=total, counts="")

            def step(outcome: FileOutcome) -> None:
                if outcome.refused:
                    counts["refused"] += 1
                    # Plain text: a file name may hold brackets that rich reads as markup.
                    bar.console.print(
                        Text.assemble(("refused: ", "red"), outcome.refused), soft_wrap=True
                    )
                else:
                    for name in ("created", "updated", "unchanged"):
                        counts[name] += getattr(outcome, name)
                text = (
                    f"{counts['created']} imported · {counts['updated']} updated · "
                    f"{counts['unchanged']} unchanged · {counts['refused']} refused"
                )
                # A folder's topics and people are not one of the files counted.
                bar.update(task, advance=0 if outcome.path.is_dir() else 1, counts=text)

            return import_paths(paths, progress=step)
