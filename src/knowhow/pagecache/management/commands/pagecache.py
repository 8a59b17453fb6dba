"""knowhow pagecache: what the page cache of each running server process holds and serves,
and a way to drop every cached page at once."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from knowhow import pagecache
from knowhow.pagecache.versions import SITE_TAG

FIELDS = ("hits", "not_modified", "misses", "stale", "bypassed", "stored", "evicted")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def reports(run_dir: Path) -> list[dict[str, Any]]:
    """The last report of each live server process (they write one every few seconds)."""
    found = []
    for path in sorted(run_dir.glob("page-cache-*.json")):
        try:
            report = json.loads(path.read_text())
        except (OSError, ValueError):
            continue
        if _alive(int(report.get("pid", 0))):
            found.append(report)
    return found


class Command(BaseCommand):
    help = "Show the page cache of each running server process, or drop every cached page."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", nargs="?", choices=["stats", "clear"], default="stats")
        parser.add_argument("--json", action="store_true", help="Print the reports as JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "clear":
            pagecache.changed(SITE_TAG)  # every process's pages, and the edges' (purged)
            self.stdout.write("Every cached page and part is stale; each is rendered anew.")
            return
        found = reports(Path(settings.VAR_DIR) / "run")
        if options["json"]:
            self.stdout.write(json.dumps(found, indent=2))
            return
        if not found:
            self.stdout.write("No server process has reported yet (they report while serving).")
            return
        self.stdout.write(
            f"{'pid':>8} {'pages':>6} {'MiB':>6} {'of MiB':>6} {'hit %':>6} "
            + " ".join(f"{f:>12}" for f in FIELDS)
            + "  age s"
        )
        now = time.time()
        for r in found:
            answered = r["hits"] + r["not_modified"] + r["misses"]
            rate = 100 * (r["hits"] + r["not_modified"]) / answered if answered else 0.0
            self.stdout.write(
                f"{r['pid']:>8} {r['entries']:>6} {r['bytes'] / 2**20:>6.1f} "
                f"{r['budget'] / 2**20:>6.0f} {rate:>6.1f} "
                + " ".join(f"{r[f]:>12}" for f in FIELDS)
                + f"  {now - r['written']:>5.0f}"
            )
