"""The settings file `knowhow serve` reads again on `kill -HUP` (KNOWHOW_ENV_FILE).

systemd's EnvironmentFile= is read once, when the unit starts: a reload would bring new
code but the old settings. Named in KNOWHOW_ENV_FILE (the shipped unit does), the file is
read again on each reload, checked whole by `knowhow check` in a process of its own, and
only when every value is good do the new server processes and the task worker get it; a
bad value keeps the settings the site runs with, and the log says which value, in a line.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
from pathlib import Path

logger = logging.getLogger("knowhow.serve")

NAME = "KNOWHOW_ENV_FILE"
# Chosen when the server started (the address it listens on): a reload keeps them.
KEPT = ("KNOWHOW_HOST", "KNOWHOW_PORT", "KNOWHOW_ENV_FILE")


def read(path: Path) -> dict[str, str]:
    """KEY=value lines as systemd reads them: comments and blank lines skipped, a value in
    matching quotes unquoted."""
    values = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        name, sep, value = line.partition("=")
        if not sep:
            continue
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[name.strip()] = value
    return values


# The variables the file gave: one deleted from the file is removed on reload, while those
# set elsewhere (the unit's Environment=, the shell) stay.
_from_file: set[str] = set()


def remember(environ: dict[str, str] | os._Environ[str]) -> None:
    """At start: note which variables came from the file (systemd read it already)."""
    named = environ.get(NAME, "").strip()
    if named:
        with contextlib.suppress(OSError):  # a file that cannot be read: said on reload
            _from_file.update(k for k in read(Path(named)) if k.startswith("KNOWHOW_"))


def reload_into(environ: dict[str, str] | os._Environ[str]) -> bool:
    """Read the file again into environ (KNOWHOW_* values, those gone from it removed);
    False, with environ untouched, when there is no file or a value is refused."""
    named = environ.get(NAME, "").strip()
    if not named:
        return False
    path = Path(named)
    try:
        found = {k: v for k, v in read(path).items() if k.startswith("KNOWHOW_")}
    except OSError as error:
        logger.error("reloading, but %s cannot be read (%s): settings kept", path, error.strerror)
        return False
    gone = _from_file - set(found) - set(KEPT)
    fresh = {k: v for k, v in environ.items() if k not in gone}
    fresh.update({k: v for k, v in found.items() if k not in KEPT})
    checked = subprocess.run(  # noqa: S603 - this same program
        [sys.executable, "-m", "knowhow", "check"],
        env=fresh,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if checked.returncode != 0:
        said = (checked.stderr.strip() or checked.stdout.strip()).splitlines()
        logger.error(
            "reloading, but %s has a value the site cannot use (%s): settings kept",
            path,
            said[0] if said else f"exit status {checked.returncode}",
        )
        return False
    for name in gone & set(environ):
        del environ[name]
    environ.update(fresh)
    _from_file.clear()
    _from_file.update(found)
    logger.info("reloading with the settings in %s", path)
    return True
