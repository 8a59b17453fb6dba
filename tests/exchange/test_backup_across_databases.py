"""The move the backup exists for: a SQLite site backed up, restored into an empty
PostgreSQL database, backed up there and restored into an empty SQLite one, each step by
the `knowhow` command as an operator runs it. Every step shows the same site."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from tests.test_serve import KNOWHOW, _env
from tests.throwaway_postgres import ThrowawayPostgres

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def _postgres_server() -> Iterator[str]:
    """The PostgreSQL server the PostgreSQL pass uses, or one of this test's own."""
    import psycopg

    url = os.environ.get("KNOWHOW_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        url = "postgres://postgres@127.0.0.1:5432/postgres"
    parts = urllib.parse.urlsplit(url)
    server = urllib.parse.urlunsplit(parts._replace(path=""))
    try:
        psycopg.connect(server + "/postgres", connect_timeout=3).close()
    except psycopg.Error:
        own = ThrowawayPostgres()
        try:
            own.start()
            yield own.url.rsplit("/", 1)[0]
        finally:
            own.remove()
        return
    yield server


@contextlib.contextmanager
def empty_postgres_database() -> Iterator[str]:
    import psycopg

    with _postgres_server() as server:
        name = f"knowhow_backup_move_{os.getpid()}"
        with psycopg.connect(server + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{server}/{name}"
        finally:
            with psycopg.connect(server + "/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


class Site:
    """One site: a database, a data folder, and a working folder (where its images live
    when no media folder is configured)."""

    def __init__(self, folder: Path, database_url: str) -> None:
        folder.mkdir()
        self.folder = folder
        self.env = _env(folder / "var")
        self.env.update(
            KNOWHOW_DATABASE_URL=database_url,
            KNOWHOW_SECRET_KEY="backup-move-test-key",
            KNOWHOW_ALLOWED_HOSTS="testserver",
            KNOWHOW_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
            PYTHONPATH=str(ROOT),
        )

    def knowhow(self, *args: str) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [KNOWHOW, *args],
            env=self.env,
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    def probe(self, action: str) -> Any:
        done = subprocess.run(
            [sys.executable, "-m", "tests.exchange.backup_site", action],
            env={**self.env, "DJANGO_SETTINGS_MODULE": "knowhow.settings"},
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return json.loads(done.stdout.splitlines()[-1])


def test_sqlite_to_postgresql_and_back_keeps_the_whole_site(tmp_path: Path) -> None:
    source = Site(tmp_path / "sqlite-source", f"sqlite:///{tmp_path / 'source.sqlite3'}")
    source.knowhow("migrate", "-v0")
    source.probe("fill")
    before = source.probe("describe")
    assert before["counts"]["discussion.post"] > 20 and before["files"]
    source.knowhow("backup", str(tmp_path / "from-sqlite.zip"))

    with empty_postgres_database() as url:
        moved = Site(tmp_path / "postgres", url)
        moved.knowhow("migrate", "-v0")
        restored = moved.knowhow("restore", str(tmp_path / "from-sqlite.zip"))
        assert "Restored" in restored.stdout
        assert moved.probe("describe") == before
        moved.knowhow("backup", str(tmp_path / "from-postgres.zip"))
        after = moved.probe("check")
        assert after["signed_in"] and after["wrong_password_refused"], after
        assert after["post_number"] == 4 and after["post_id_after_highest"], after
        assert after["user_ids"][1] == after["highest_user_before"] + 1, after
        assert after["search_finds"], after

    back = Site(tmp_path / "sqlite-again", f"sqlite:///{tmp_path / 'again.sqlite3'}")
    back.knowhow("migrate", "-v0")
    back.knowhow("restore", str(tmp_path / "from-postgres.zip"))
    assert back.probe("describe") == before
    assert back.probe("check")["search_finds"]
