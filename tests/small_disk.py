"""A small disk of a test's own (tmpfs), to fill up; root only, removed after the test."""

from __future__ import annotations

import contextlib
import errno
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest


@contextlib.contextmanager
def small_disk(where: Path, megabytes: int) -> Iterator[Path]:
    """A tmpfs of this size mounted at `where` (made if missing) until the block ends."""
    if os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root")
    where.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(where)],
        check=True,
        capture_output=True,
    )
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False, capture_output=True)


def fill(disk: Path) -> None:
    """Write to the disk until it has no byte left."""
    chunk = b"\0" * (64 * 1024)
    # Unbuffered: a refused write leaves nothing behind to fail again when the file closes.
    with open(disk / "filler", "ab", buffering=0) as filler:
        try:
            while True:
                filler.write(chunk)
                filler.flush()
        except OSError as full:
            assert full.errno == errno.ENOSPC
    with contextlib.suppress(OSError), open(disk / "filler", "ab", buffering=0) as filler:
        for _ in range(64):
            filler.write(b"\0" * 512)
            filler.flush()
