"""The server killed with SIGKILL during a flood of posts loses no answered post, and its
numbering has no gap or repeat after the restart: a small run of bench/kill_flood.py."""

from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import urllib.parse
from pathlib import Path
from types import ModuleType

from django.conf import settings

BENCH = Path(__file__).resolve().parents[2] / "bench" / "kill_flood.py"


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("kill_flood", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def _database_url() -> str:
    """On a PostgreSQL run, a database of this test's own on the same server."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        return ""
    user = urllib.parse.quote(database.get("USER") or "postgres")
    password = database.get("PASSWORD") or ""
    auth = f"{user}:{urllib.parse.quote(password)}" if password else user
    where = f"{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}"
    return f"postgres://{auth}@{where}/knowhow_kill_{os.getpid()}"


def test_a_killed_server_loses_no_answered_post(tmp_path: Path) -> None:
    bench = _bench()
    url = _database_url()
    try:
        counts = bench.run(
            tmp_path,
            database_url=url,
            cache_url=os.environ.get("KNOWHOW_CACHE_URL", ""),
            clients=4,
            posts=40,
            kill_after=15,
            say=False,
        )
    finally:
        if url:
            _drop(url)
    print(counts.report())
    assert counts.answered >= 15
    assert counts.lost == counts.wrong_number == counts.not_on_page == 0, counts.report()
    assert counts.gaps == counts.repeats == 0 and not counts.counter_off, counts.report()
    assert counts.refused == 0 and counts.posted_after_restart, counts.report()


def _drop(url: str) -> None:
    import psycopg

    parts = urllib.parse.urlsplit(url)
    admin = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with contextlib.suppress(psycopg.Error), psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {parts.path.lstrip('/')} WITH (FORCE)")
