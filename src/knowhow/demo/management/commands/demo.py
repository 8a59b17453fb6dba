"""knowhow demo: load the bundled demo content, or remove it from a site gone live."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowhow.articles.models import Article
from knowhow.demo.loader import DemoInUse, load_demo, remove_demo
from knowhow.exchange.markdown import ArticleImportError


class Command(BaseCommand):
    help = "Load the bundled demo articles, facts, events and discussions (or --remove them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Only load when the site has no articles yet."
        )
        parser.add_argument(
            "--remove",
            action="store_true",
            help="Remove exactly the demo's content; nothing readers or staff made.",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="With --remove: also when readers posted on demo articles (their posts go).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["remove"]:
            self._remove(force=options["force"])
            return
        if options["if_empty"] and Article.objects.exists():
            self.stdout.write("The site already has articles; demo content not loaded.")
            return
        try:
            summary = load_demo()
        except ArticleImportError as refused:  # a demo article changed in the newsroom
            raise CommandError(f"Demo content not loaded: {refused}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {summary.articles} articles, {summary.facts} facts, "
                f"{summary.events} events, {summary.posts} new posts."
            )
        )

    def _remove(self, *, force: bool) -> None:
        try:
            gone = remove_demo(force=force)
        except DemoInUse as in_use:
            raise CommandError(
                f"Readers wrote {in_use.posts} post(s) on demo articles; nothing was removed. "
                "Move what you want to keep, or run `knowhow demo --remove --force` to remove "
                "the demo articles with those posts."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content removed: {gone.articles} articles with {gone.posts} posts, "
                f"{gone.facts} facts, {gone.events} events, {gone.readers} demo readers, "
                f"{gone.people} writers and {gone.topics} topics nothing else uses."
            )
        )
