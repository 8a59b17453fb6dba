"""The site's commands at scale: time and peak memory of each, at 100,000 articles and
1,000,000 posts by default.

On a throwaway database (an SQLite file in a temporary folder, or a PostgreSQL database
named knowhow_scale_big, dropped first) it runs, one process each, as an operator would:
`knowhow migrate` (empty), `knowhow generate`, `knowhow migrate` again at size (the
migrations of the last release unapplied and applied again), the search index built
afresh, `knowhow backup`, `knowhow restore --replace` of that backup and
`knowhow export`, then every public page drawn anew (bench/pages_at_scale.py: home, the
first, middle and last page of the longest thread, a topic, a person, search). Each command shows
its progress on the terminal; the table at the end gives seconds and the peak resident
memory (GNU time's maximum RSS) against the 500 MB budget.

    .venv/bin/python bench/at_scale.py --database sqlite|postgres [--articles N] [--posts M]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
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


Result = tuple[str, float, float, float]


def _run(name: str, args: list[str], results: list[Result]) -> None:
    print(f"\n== {name}", flush=True)
    with tempfile.NamedTemporaryFile(mode="r", suffix=".time") as timing:
        command = ["/usr/bin/time", "-o", timing.name, "-f", "%M %U %S", *args]
        start = time.monotonic()
        subprocess.run(command, check=True)
        seconds = time.monotonic() - start
        peak, user, system = timing.read().split()[-3:]
    # CPU seconds say what the step costs on a machine busy with other work too.
    results.append((name, seconds, float(user) + float(system), int(peak) / 1024))
    # Said at once too, so that a long run's figures are read before it ends.
    print(f"== {name}: {seconds:.1f} s, {results[-1][2]:.1f} CPU s, {results[-1][3]:.0f} MB peak")


def _database(kind: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite:///{folder / 'site.sqlite3'}"
    for sql in (f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)", f"CREATE DATABASE {PG_NAME}"):
        subprocess.run(["psql", PG_ADMIN, "-qc", sql], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--keep", action="store_true", help="Keep the database and files.")
    options = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="knowhow-scale-"))
    os.environ["KNOWHOW_DATABASE_URL"] = _database(options.database, folder)
    os.environ["KNOWHOW_DATA_DIR"] = str(folder / "data")
    size = ["--articles", str(options.articles), "--posts", str(options.posts)]
    results: list[Result] = []
    knowhow = [str(KNOWHOW)]
    shell = [*knowhow, "shell", "-c"]
    try:
        _run("migrate, empty", [*knowhow, "migrate", "--noinput"], results)
        _run("generate", [*knowhow, "generate", *size, "-v2"], results)
        subprocess.run([*knowhow, "migrate", "--noinput", AGAIN[0], _before(AGAIN)], check=True)
        _run("migrate at size", [*knowhow, "migrate", "--noinput"], results)
        _run("search index build", [*shell, REBUILD_INDEX], results)
        backup = folder / "site.knowhow"
        _run("backup", [*knowhow, "backup", str(backup), "-v2"], results)
        _run("restore", [*knowhow, "restore", str(backup), "--replace", "-v2"], results)
        _run("export", [*knowhow, "export", str(folder / "export"), "-v2"], results)
        pages = [str(PYTHON), str(ROOT / "bench" / "pages_at_scale.py"), "--times", "10"]
        _run("public pages drawn anew", pages, results)
    finally:
        if not options.keep:
            shutil.rmtree(folder, ignore_errors=True)
    print(f"\n{options.database}, {options.articles:,} articles, {options.posts:,} posts")
    print(os.getloadavg(), "load average at the end")
    print(f"{'step':<22}{'seconds':>10}{'CPU s':>10}{'peak MB':>10}")
    for name, seconds, cpu, peak in results:
        flag = "" if peak < BUDGET_MB else f"  over {BUDGET_MB} MB"
        print(f"{name:<22}{seconds:>10.1f}{cpu:>10.1f}{peak:>10.0f}{flag}")
    sys.stdout.flush()


def _before(migration: tuple[str, str]) -> str:
    """The migration just before this one in its app (by its number)."""
    folder = ROOT / "src" / "knowhow" / migration[0] / "migrations"
    number = int(migration[1][:4])
    older = sorted(p.stem for p in folder.glob("[0-9]*.py") if int(p.stem[:4]) < number)
    return older[-1]


if __name__ == "__main__":
    main()
