"""A data folder made ready as an operator makes it (`knowhow migrate`, `knowhow demo`).

Each command starts Django and, for the demo, writes a whole site: tens of seconds on a
busy test machine, paid again by every test that serves a site of its own. The first test
to ask for a folder with some settings runs the commands for real; a later test asking for
the same commands and settings gets a copy of the folder they left (the database file, the
uploaded pictures, the page versions), which is what the commands would have made. A
folder whose settings reach outside it (another database, Redis, an edge to purge, an
environment file) is always made by the commands themselves.
"""

from __future__ import annotations

import atexit
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

KNOWHOW = shutil.which("knowhow", path=str(Path(sys.executable).parent)) or "knowhow"

MIGRATE_AND_DEMO: tuple[tuple[str, ...], ...] = (("migrate", "-v0"), ("demo", "--if-empty"))

# Settings that make the commands write somewhere other than the data folder.
REACHING_OUT = {
    "KNOWHOW_DATABASE_URL",
    "KNOWHOW_DATABASE_REPLICA_URLS",
    "KNOWHOW_CACHE_URL",
    "KNOWHOW_EDGE_PURGE_URLS",
    "KNOWHOW_MEDIA_ROOT",
    "KNOWHOW_EMAIL_URL",
    "KNOWHOW_AKISMET_URL",
    "KNOWHOW_ENV_FILE",
}
# Settings of serving alone (ports, processes, logs, proxies, headers, form timing): they
# change nothing the commands write, so folders that differ only in them are the same.
NOT_WRITTEN = {
    f"KNOWHOW_{name}"
    for name in (
        "VAR_DIR", "SECRET_KEY", "PORT", "WORKERS", "THREADS", "TASK_WORKER", "SERVE_PID",
        "LOG_FORMAT", "LOG_LEVEL", "ACCESS_LOG", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS",
        "BEHIND_HTTPS_PROXY", "TRUSTED_PROXY_COUNT", "HSTS_SECONDS", "HSTS_INCLUDE_SUBDOMAINS",
        "HSTS_PRELOAD", "MIN_SUBMIT_SECONDS", "REQUEST_MAX_BYTES", "EDGE_MAX_AGE",
        "WIDGET_MAX_AGE", "PAGE_CACHE_MB", "DATABASE_WAIT_SECONDS", "DEBUG",
    )
}  # fmt: skip
# The static files are collected by `knowhow serve`; the secret key is made anew by whichever
# command first needs it, as in a fresh folder.
NOT_COPIED = {"static", "secret_key"}

_made: dict[tuple[object, ...], Path] = {}
_store: list[Path] = []


def prepare(
    env: dict[str, str],
    commands: Sequence[Sequence[str]] = MIGRATE_AND_DEMO,
    *,
    timeout: float = 300,
    capture_output: bool = False,
) -> None:
    """Leave env's data folder as `knowhow <command>` for each command leaves it."""
    var_dir = Path(env["KNOWHOW_VAR_DIR"])
    settings = {k: v for k, v in env.items() if k.startswith("KNOWHOW_")}
    key = (
        tuple(tuple(command) for command in commands),
        tuple(sorted((k, v) for k, v in settings.items() if k not in NOT_WRITTEN)),
    )
    reusable = not (REACHING_OUT & settings.keys()) and not (
        var_dir.exists() and any(var_dir.iterdir())
    )
    if reusable and key in _made:
        shutil.copytree(_made[key], var_dir, symlinks=True, dirs_exist_ok=True)
        return
    for command in commands:
        subprocess.run(
            [KNOWHOW, *command],
            env=env,
            check=True,
            timeout=timeout,
            capture_output=capture_output,
        )
    if reusable:
        _made[key] = kept = _store_folder() / str(len(_made))
        shutil.copytree(
            var_dir,
            kept,
            symlinks=True,
            ignore=lambda folder, names: NOT_COPIED & set(names) if folder == str(var_dir) else (),
        )


def _store_folder() -> Path:
    if not _store:
        _store.append(Path(tempfile.mkdtemp(prefix="knowhow-site-folders-")))
        atexit.register(shutil.rmtree, _store[0], ignore_errors=True)
    return _store[0]
