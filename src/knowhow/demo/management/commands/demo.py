"""knowhow demo: load the bundled demo content."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from knowhow.articles.models import Article
from knowhow.demo.loader import load_demo


class Command(BaseCommand):
    help = "Load the bundled demo articles, facts, events and discussions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty", action="store_true", help="Only load when the site has no articles yet."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Article.objects.exists():
            self.stdout.write("The site already has articles; demo content not loaded.")
            return
        summary = load_demo()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo content loaded: {summary.articles} articles, {summary.facts} facts, "
                f"{summary.events} events, {summary.posts} new posts."
            )
        )
