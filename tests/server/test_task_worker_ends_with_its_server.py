"""The task worker `knowhow serve` starts never outlives it: killed with SIGKILL (a crash, or
a supervisor giving up on a slow stop), the server takes its worker with it; SIGTERM to the
process group of a `make serve` stops the make, the server and the worker, and no process
of theirs is left holding database connections."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.nginx_site import _own_database
from tests.test_serve import KNOWHOW, _env, _free_port
from tests.test_serve_worker import _running, _wait_for

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = pytest.mark.timing


def _worker_pid(log: Path) -> int | None:
    started = re.search(r"task worker started \(pid (\d+)\)", log.read_text())
    return int(started.group(1)) if started else None


def _server_pids(log: Path) -> list[int]:
    return [int(pid) for pid in re.findall(r"Spawning worker-\d+ with PID: (\d+)", log.read_text())]


@contextmanager
def _started(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    """The command in a process group of its own, as a terminal or a test harness starts it;
    whatever it leaves running is killed afterwards, so a failing test leaves nothing."""
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, env=env, stdout=out, stderr=subprocess.STDOUT, process_group=0
        )
    try:
        yield process
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        for pid in [_worker_pid(log) or 0, *_server_pids(log)]:
            if pid and _running(pid):
                os.kill(pid, signal.SIGKILL)


@contextmanager
def _site(tmp_path: Path) -> Iterator[dict[str, str]]:
    with _own_database() as services:
        env = {**_env(tmp_path / "var"), **services}
        subprocess.run([KNOWHOW, "migrate", "-v0"], env=env, check=True, timeout=300)
        yield env


def test_a_server_killed_with_sigkill_takes_its_task_worker_with_it(tmp_path: Path) -> None:
    with _site(tmp_path) as env:
        log = tmp_path / "serve.log"
        serve = [KNOWHOW, "serve", "--port", str(_free_port()), "--workers", "1"]
        with _started(serve, env, log) as server:
            worker = _wait_for(lambda: _worker_pid(log), 60, "the task worker to start")
            servers = _wait_for(lambda: _server_pids(log), 60, "a server process")
            assert _running(worker)
            server.kill()
            server.wait(timeout=10)
            _wait_for(lambda: not _running(worker), 15, "the orphaned task worker to end")
            _wait_for(lambda: not any(map(_running, servers)), 15, "the server processes to end")


def test_sigterm_to_a_make_serve_process_group_leaves_no_task_worker(tmp_path: Path) -> None:
    makefile = tmp_path / "Makefile"
    port = _free_port()
    makefile.write_text(f"serve:\n\t{KNOWHOW} serve --port {port} --workers 1\n")
    with _site(tmp_path) as env:
        log = tmp_path / "make.log"
        with _started(["make", "-f", str(makefile), "serve"], env, log) as make:
            worker = _wait_for(lambda: _worker_pid(log), 60, "the task worker to start")
            servers = _wait_for(lambda: _server_pids(log), 60, "a server process")
            os.killpg(make.pid, signal.SIGTERM)  # Ctrl+C's cousin, or a test harness
            make.wait(timeout=30)
            # make is gone at once: a harness then kills what is left of the group.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(make.pid, signal.SIGKILL)
            _wait_for(lambda: not _running(worker), 20, "the task worker to end")
            _wait_for(lambda: not any(map(_running, servers)), 20, "the server processes to end")
