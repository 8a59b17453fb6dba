"""Every thread of every server process holds a database connection, the task worker one
more: on PostgreSQL `knowhow serve` keeps them within max_connections, lowering its
defaults with a message and refusing counts the operator chose."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlunsplit

import pytest
from django.core.management.base import CommandError
from django.db import connection

from knowhow import config
from knowhow.server.preflight import SPARE_CONNECTIONS, Budget, connection_budget, fit_connections
from tests.test_serve import KNOWHOW, _env

SMALL = Budget(allowed=20 - 3 - SPARE_CONNECTIONS, limit=20, reserved=3)  # 12 for the server


def test_counts_that_fit_are_kept() -> None:
    assert fit_connections(2, 4, task_worker=True, chosen=True, budget=SMALL) == (2, 4, "")
    assert fit_connections(8, 64, task_worker=True, chosen=True, budget=None) == (8, 64, "")


def test_defaults_that_do_not_fit_are_lowered_with_a_message() -> None:
    workers, threads, note = fit_connections(4, 4, task_worker=True, chosen=False, budget=SMALL)
    assert workers * threads + 1 <= SMALL.allowed
    assert (workers, threads) == (4, 2)
    assert note == (
        "lowered to 4 workers × 2 threads: PostgreSQL allows 20 connections "
        "(max_connections), 3 reserved and 5 kept for commands"
    )


def test_chosen_counts_that_do_not_fit_are_refused() -> None:
    with pytest.raises(CommandError, match="4 workers × 4 threads \\+ the task worker need 17"):
        fit_connections(4, 4, task_worker=True, chosen=True, budget=SMALL)


def test_no_room_at_all_is_refused_even_for_defaults() -> None:
    none_left = Budget(allowed=1, limit=9, reserved=3)
    with pytest.raises(CommandError, match="raise max_connections"):
        fit_connections(1, 1, task_worker=True, chosen=False, budget=none_left)


@pytest.mark.django_db
def test_the_budget_is_read_from_postgresql() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: set KNOWHOW_DATABASE_URL to a postgres:// URL")
    budget = connection_budget()
    assert budget is not None
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
    assert budget.limit == limit and budget.allowed < limit


@pytest.mark.django_db
def test_serve_refuses_more_connections_than_postgresql_allows(tmp_path: Path) -> None:
    url = os.environ.get("KNOWHOW_DATABASE_URL", "")
    if connection.vendor != "postgresql" or not url:
        pytest.skip("PostgreSQL only: set KNOWHOW_DATABASE_URL to a postgres:// URL")
    budget = connection_budget()
    workers = config.worker_bounds()[1]
    if budget is None or workers * 64 + 1 <= budget.allowed:
        pytest.skip("this PostgreSQL allows more connections than serve can ask for")
    # The test database: migrated, and serve only reads it before it refuses.
    db = connection.settings_dict
    test_url = urlunsplit(("postgres", url.split("://", 1)[1].split("/", 1)[0], db["NAME"], "", ""))
    env = {**_env(tmp_path / "var"), "KNOWHOW_DATABASE_URL": test_url}
    result = subprocess.run(
        [KNOWHOW, "serve", "--no-collectstatic", "--workers", str(workers), "--threads", "64"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    need = workers * 64 + 1
    assert f"{workers} workers × 64 threads + the task worker need {need} database" in (
        result.stderr
    )
    assert f"PostgreSQL allows {budget.limit} connections (max_connections)" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
