"""knowhow import PATH...: Markdown files with front matter, all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowhow.articles.services import ArticleImportError, import_article_files


def expand(paths: list[str]) -> list[Path]:
    """Files as given, and the .md files inside any folder given, in name order."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        found.extend(sorted(path.rglob("*.md")) if path.is_dir() else [path])
    return found


class Command(BaseCommand):
    help = "Import articles from Markdown files with front matter; re-importing updates them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="Markdown files, or folders of them")

    def handle(self, *args: Any, **options: Any) -> None:
        files = expand(options["paths"])
        if not files:
            raise CommandError("No Markdown files found in " + ", ".join(options["paths"]))
        try:
            results = import_article_files(files)
        except ArticleImportError as exc:
            raise CommandError(f"Nothing was imported.\n{exc}") from None
        for result in results:
            verb = "created" if result.created else "updated"
            self.stdout.write(
                f"{verb}: {result.article.title} ({result.article.get_absolute_url()})"
            )
        self.stdout.write(self.style.SUCCESS(f"Imported {len(results)} article(s)."))
