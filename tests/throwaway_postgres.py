"""A PostgreSQL server of a test's own (or a streaming replica of one), to stop and start
while the site runs against it.

Built with the server binaries (initdb, pg_ctl) in a folder of its own on a free port; a
test that needs one skips, with the reason, where the binaries are not installed.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _binaries() -> Path | None:
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent  # the folder of the tools, not of a link to one
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=len)
    return Path(versions[-1]).parent if versions else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class ThrowawayPostgres:
    """initdb in a temporary folder; start() and stop() as often as a test likes."""

    def __init__(self, primary: ThrowawayPostgres | None = None) -> None:
        bin_dir = _binaries()
        if bin_dir is None:
            pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="knowhow-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        # initdb refuses to run as root: the server runs as the postgres user then.
        self.as_user: list[str] = []
        if os.geteuid() == 0:
            self.as_user = ["runuser", "-u", "postgres", "--"]
            shutil.chown(self.root, "postgres")
        if primary is None:
            self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        else:
            # A streaming replica: a copy of the running primary that follows its log (-R).
            # initdb's rules let 127.0.0.1 replicate, and wal_level is "replica" by default.
            self._run(
                "pg_basebackup", "-D", str(self.data), "-h", "127.0.0.1",
                "-p", str(primary.port), "-U", "postgres", "-R", "-X", "stream", "--no-sync",
            )  # fmt: skip
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.as_user, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    def start(self) -> None:
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"
        log = str(self.root / "server.log")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", log, "-w", "start")

    def replica(self) -> ThrowawayPostgres:
        """A streaming replica of this running server, on a port of its own (not started)."""
        return ThrowawayPostgres(primary=self)

    def stop(self) -> None:
        """As a crash or a pulled cable would: no goodbye to the connections."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def remove(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.stop()
        shutil.rmtree(self.root, ignore_errors=True)
