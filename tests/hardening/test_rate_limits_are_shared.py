"""A rate limit counts once for the whole site, however many processes serve it."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

COUNTER = """
import sys, time
import django
django.setup()
from knowhow.antiabuse import ratelimit
key, start = sys.argv[1], float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
print(sum(ratelimit.hit(key, [(5, 600)]) is None for _ in range(6)))
"""


def _database_url() -> str:
    """The test database, as a URL another process can open."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    url = os.environ["KNOWHOW_DATABASE_URL"]
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_a_limit_of_five(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    env.update(
        DJANGO_SETTINGS_MODULE="knowhow.settings",
        KNOWHOW_VAR_DIR=str(tmp_path),
        KNOWHOW_DATABASE_URL=_database_url(),
    )
    if os.environ.get("KNOWHOW_CACHE_URL"):
        env["KNOWHOW_CACHE_URL"] = os.environ["KNOWHOW_CACHE_URL"]
    key, start = f"shared-{uuid.uuid4().hex}", time.time() + 3
    workers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", COUNTER, key, str(start)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    passed = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        passed.append(int(out))
    # Twelve tries, six from each process, against one limit of five.
    assert sum(passed) == 5, passed
