"""The site's commands at scale: time and peak memory of each, at 100,000 articles and
1,000,000 posts by default.

On a throwaway database (an SQLite file in a temporary folder, or a PostgreSQL database
named knowhow_scale_big, dropped first) it runs, one process each, as an operator would:
`knowhow migrate` (empty), `knowhow generate`, `knowhow migrate` again at size (the
migrations of the last release unapplied and applied again), the search index built
afresh, `knowhow backup`, `knowhow restore --replace` of that backup and
`knowhow export`, then every public page drawn anew (bench/pages_at_scale.py: home, the
first, middle and last page of the longest thread, a topic, a person, search, and
each page's queries planned). Each command shows its progress on the terminal; the table
at the end gives seconds, CPU seconds (the command's own, and on PostgreSQL the server's
for that database, read from /proc of its backends) and the peak resident memory (GNU
time's maximum RSS) against the 500 MB budget, with the load average of the machine.

`--steps` runs some of the steps only (names as in the table: migrate, generate,
migrate-again, index, backup, restore, export, pages); without generate the database of
an earlier run is used as it is (`--keep` leaves it, `--folder` names where the SQLite
file is).

    .venv/bin/python bench/at_scale.py --database sqlite|postgres [--articles N] [--posts M]
        [--steps generate,index,pages] [--keep] [--folder DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KNOWHOW = ROOT / ".venv" / "bin" / "knowhow"
PYTHON = ROOT / ".venv" / "bin" / "python"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = os.environ.get("KNOWHOW_BENCH_SCALE_DB", "knowhow_scale_big")
BUDGET_MB = 500
# A migration of the last release that adds indexes at size; unapplied, then applied again.
AGAIN = ("articles", "0012_lists_at_scale")
REBUILD_INDEX = """
from knowhow.exchange.backup import rebuild_search_index
from knowhow.exchange.progress import bars
with bars(shown=True) as progress:
    print(rebuild_search_index("default", progress), "articles indexed")
"""


STEPS = ("migrate", "generate", "migrate-again", "index", "backup", "restore", "export", "pages")

# step, seconds, CPU s of the command, CPU s of the database server (or None), peak MB,
# load average (1 minute) at the end of the step
Result = tuple[str, float, float, float | None, float, float]


class _ServerCpu:
    """The CPU time PostgreSQL's backends of one database used while a step ran: each
    backend's process title names its database, and /proc gives its user and system time,
    read every half second (a backend's last half second may be missed when it ends)."""

    def __init__(self, database: str | None) -> None:
        self.database = database
        self.seen: dict[str, float] = {}
        self.stop = threading.Event()
        self.tick = os.sysconf("SC_CLK_TCK")
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> _ServerCpu:
        if self.database:
            self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        if self.database:
            self.thread.join()

    def seconds(self) -> float | None:
        return sum(self.seen.values()) if self.database else None

    def _watch(self) -> None:
        while True:
            self._sample()
            if self.stop.wait(0.5):
                return

    def _sample(self) -> None:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                if not title.startswith("postgres:") or f" {self.database} " not in title:
                    continue
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            self.seen[pid] = (int(fields[11]) + int(fields[12])) / self.tick


def _run(name: str, args: list[str], results: list[Result], server: str | None) -> None:
    print(f"\n== {name}", flush=True)
    with (
        tempfile.NamedTemporaryFile(mode="r", suffix=".time") as timing,
        _ServerCpu(server) as watched,
    ):
        command = ["/usr/bin/time", "-o", timing.name, "-f", "%M %U %S", *args]
        start = time.monotonic()
        subprocess.run(command, check=True)
        seconds = time.monotonic() - start
        peak, user, system = timing.read().split()[-3:]
    # CPU seconds say what the step costs on a machine busy with other work too.
    cpu = float(user) + float(system)
    results.append((name, seconds, cpu, watched.seconds(), int(peak) / 1024, os.getloadavg()[0]))
    # Said at once too, so that a long run's figures are read before it ends.
    served = "" if server is None else f", {watched.seconds():.1f} server CPU s"
    print(f"== {name}: {seconds:.1f} s, {cpu:.1f} CPU s{served}, {int(peak) / 1024:.0f} MB peak,"
          f" load {os.getloadavg()[0]:.1f}")  # fmt: skip


def _database(kind: str, folder: Path, fresh: bool) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'site.sqlite3'}"
    if not fresh:
        return f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
    for sql in (f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)", f"CREATE DATABASE {PG_NAME}"):
        subprocess.run(["psql", PG_ADMIN, "-qc", sql], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="Keep the database and files.")
    parser.add_argument("--steps", default=",".join(STEPS), help="Which steps, comma-separated.")
    parser.add_argument("--folder", help="The folder of the SQLite file and the backup.")
    options = parser.parse_args()
    steps = set(options.steps.split(","))
    if steps - set(STEPS):
        parser.error(f"steps are {', '.join(STEPS)}")
    fresh = "generate" in steps
    folder = Path(options.folder or tempfile.mkdtemp(prefix="knowhow-scale-"))
    folder.mkdir(parents=True, exist_ok=True)
    os.environ["KNOWHOW_DATABASE_URL"] = _database(options.database, folder, fresh)
    os.environ["KNOWHOW_DATA_DIR"] = str(folder / "data")
    server = PG_NAME if options.database == "postgres" else None
    size = ["--articles", str(options.articles), "--posts", str(options.posts)]
    results: list[Result] = []
    knowhow = [str(KNOWHOW)]
    shell = [*knowhow, "shell", "-c"]
    backup = folder / "site.knowhow"
    pages = [str(PYTHON), str(ROOT / "bench" / "pages_at_scale.py"), "--times", "10", "--plan"]
    every = [
        ("migrate", "migrate, empty", [*knowhow, "migrate", "--noinput"]),
        ("generate", "generate", [*knowhow, "generate", *size, "-v2"]),
        ("migrate-again", "migrate at size", [*knowhow, "migrate", "--noinput"]),
        ("index", "search index build", [*shell, REBUILD_INDEX]),
        ("backup", "backup", [*knowhow, "backup", str(backup), "-v2"]),
        ("restore", "restore", [*knowhow, "restore", str(backup), "--replace", "-v2"]),
        ("export", "export", [*knowhow, "export", str(folder / "export"), "-v2"]),
        ("pages", "public pages drawn anew", pages),
    ]
    try:
        for step, name, command in every:
            if step not in steps:
                continue
            if step == "migrate-again":
                undo = [*knowhow, "migrate", "--noinput", AGAIN[0], _before(AGAIN)]
                subprocess.run(undo, check=True)
            _run(name, command, results, server)
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{options.database}, {options.articles:,} articles, {options.posts:,} posts")
    print(os.getloadavg(), "load average at the end")
    print(f"{'step':<24}{'seconds':>9}{'CPU s':>9}{'server':>9}{'peak MB':>9}{'load':>7}")
    for name, seconds, cpu, served, peak, load in results:
        flag = "" if peak < BUDGET_MB else f"  over {BUDGET_MB} MB"
        shown = "" if served is None else f"{served:.1f}"
        print(f"{name:<24}{seconds:>9.1f}{cpu:>9.1f}{shown:>9}{peak:>9.0f}{load:>7.1f}{flag}")
    sys.stdout.flush()


def _before(migration: tuple[str, str]) -> str:
    """The migration just before this one in its app (by its number)."""
    folder = ROOT / "src" / "knowhow" / migration[0] / "migrations"
    number = int(migration[1][:4])
    older = sorted(p.stem for p in folder.glob("[0-9]*.py") if int(p.stem[:4]) < number)
    return older[-1]


if __name__ == "__main__":
    main()
