"""knowhow generate: fill a database with synthetic content to try the site at scale."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from knowhow.demo.synthetic import SiteHasContent, generate
from knowhow.exchange.progress import bars


class Command(BaseCommand):
    help = (
        "Fill the database with synthetic articles, facts, events and discussions, the same "
        "for the same seed (for trying the site at scale; never on a live site)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--articles", type=int, required=True, help="How many articles.")
        parser.add_argument("--posts", type=int, required=True, help="How many reader posts.")
        parser.add_argument(
            "--seed", type=int, default=1, help="The same seed makes the same site."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Add the content even though the site already has articles or posts.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["articles"] < 1 or options["posts"] < 0:
            raise CommandError("--articles must be at least 1 and --posts at least 0.")
        started = time.monotonic()
        try:
            with bars(shown=sys.stderr.isatty() or options["verbosity"] > 1) as progress:
                made = generate(
                    articles=options["articles"],
                    posts=options["posts"],
                    seed=options["seed"],
                    force=options["force"],
                    progress=progress,
                )
        except SiteHasContent as has:
            raise CommandError(
                f"This site already has {has.articles} articles and {has.posts} posts; nothing "
                "was generated. Generated content is for trying the site at scale: run it on "
                "an empty database, or add --force to add it beside what is there."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {made.articles} articles in {made.topics} topics by {made.people} "
                f"people, {made.posts} posts by {made.readers} readers ({made.mentions} "
                f"mentions), {made.facts} facts and {made.events} events in "
                f"{time.monotonic() - started:.1f} s."
            )
        )
