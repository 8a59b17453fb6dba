"""Collecting the static files as `knowhow serve` starts: only when they changed, and a
failure (a full disk) never stops a server that has files collected before.

A start that restarts in a loop (systemd's Restart=always) must not rewrite 5 MB each time,
nor die each time the disk is full: the files collected are stamped with what they were
collected from (each source file's path, size and time, and the site's version), and a
start that finds the stamp current leaves them be.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from django.core.management import call_command
from django.core.management.base import CommandError

from knowhow import __version__

STAMP = ".collected"
MANIFEST = "staticfiles.json"


def sources_fingerprint() -> str:
    """A hash of every file the finders would collect: its path, size and time."""
    digest = hashlib.sha256(__version__.encode())
    for finder in get_finders():
        for path, storage in sorted(finder.list([]), key=lambda item: item[0]):
            stat = os.stat(storage.path(path))
            digest.update(f"{path}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def collect(say: Callable[[str], None]) -> None:
    """Collect the static files unless they are current; on failure, say so in one line and
    go on with those collected before, or refuse (CommandError) when there are none."""
    root = Path(settings.STATIC_ROOT)
    stamp, manifest = root / STAMP, root / MANIFEST
    fingerprint = sources_fingerprint()
    with contextlib.suppress(OSError):
        if manifest.is_file() and stamp.read_text() == fingerprint:
            say(f"static files: current in {root}, not collected again")
            return
    kept = None
    with contextlib.suppress(OSError):
        kept = manifest.read_bytes()
    try:
        call_command("collectstatic", interactive=False, verbosity=0)
        stamp.write_text(fingerprint)
    except Exception as error:  # a full disk, a folder not writable: the server still starts
        reason = _reason(error)
        with contextlib.suppress(OSError):
            stamp.unlink()
        if kept is None or not _restore(manifest, kept):
            raise CommandError(
                f"could not collect the static files into {root} ({reason}) and none were "
                "collected before"
            ) from None
        say(
            f"WARNING: could not collect the static files into {root} ({reason}); serving "
            "those collected before"
        )
        return
    say(f"static files: collected into {root}")


def _reason(error: BaseException) -> str:
    while isinstance(error.__context__, OSError) and not isinstance(error, OSError):
        error = error.__context__
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


def _restore(manifest: Path, kept: bytes) -> bool:
    """Put the manifest of the files collected before back, if the failed run changed it."""
    with contextlib.suppress(OSError):
        if manifest.read_bytes() == kept:
            return True
    try:
        manifest.write_bytes(kept)
    except OSError:
        return False
    return True
