"""`knowhow serve` keeps its task worker running: killed, it is logged and started again, and
queued reply emails still go out; `kill -HUP` reloads the server processes and the worker;
SIGTERM stops everything within seconds."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.site_folder import prepare
from tests.test_serve import KNOWHOW, _env, _free_port
from tests.test_serve_worker import CONVERSATION, _running, _wait_for

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = [pytest.mark.timing, pytest.mark.same_in_both_passes]


@dataclass
class Served:
    process: subprocess.Popen[bytes]
    base: str
    log: Path
    env: dict[str, str]
    var_dir: Path

    def output(self) -> str:
        return self.log.read_text()

    def worker_pids(self) -> list[int]:
        return [int(pid) for pid in re.findall(r"task worker started \(pid (\d+)\)", self.output())]

    def server_pids(self) -> list[int]:
        return [
            int(pid) for pid in re.findall(r"Spawning worker-\d+ with PID: (\d+)", self.output())
        ]

    def answers(self) -> bool:
        assert self.process.poll() is None, self.output()
        try:
            with urllib.request.urlopen(self.base + "/", timeout=2) as page:
                return bool(page.status == 200)
        except OSError:
            return False


@pytest.fixture
def served(tmp_path: Path) -> Iterator[Served]:
    var_dir = tmp_path / "var"
    env = _env(var_dir)
    prepare(env, [("migrate", "-v0")])
    port = _free_port()
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [KNOWHOW, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            process_group=0,
        )
    site = Served(process, f"http://127.0.0.1:{port}", log, env, var_dir)
    try:
        _wait_for(site.answers, 60, "the site to answer")
        yield site
    finally:
        # The server's own processes share its group: none is left behind to run on.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)
        for pid in site.worker_pids() + site.server_pids():
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


def _sent_mail(var_dir: Path) -> list[Path]:
    mail_dir = var_dir / "mail"
    found = list(mail_dir.glob("*")) if mail_dir.is_dir() else []
    # The file backend creates the file before it writes the message into it.
    return found if found and all(p.read_text().endswith("\n") for p in found) else []


def test_a_killed_worker_is_logged_and_started_again_and_mail_still_goes_out(
    served: Served,
) -> None:
    (first,) = served.worker_pids()
    os.kill(first, signal.SIGKILL)

    _wait_for(lambda: len(served.worker_pids()) == 2, 30, "a new task worker")
    assert f"task worker (pid {first}) was killed by signal SIGKILL" in served.output()
    second = served.worker_pids()[1]
    assert second != first and _running(second)

    subprocess.run([KNOWHOW, "shell", "-c", CONVERSATION], env=served.env, check=True, timeout=60)
    (message,) = _wait_for(lambda: _sent_mail(served.var_dir), 60, "the reply email")
    assert "helper replied to your Post 1" in message.read_text()


def test_hup_reloads_server_and_worker_and_term_stops_all_within_seconds(
    served: Served,
) -> None:
    (worker,) = served.worker_pids()
    (server,) = served.server_pids()
    served.process.send_signal(signal.SIGHUP)

    _wait_for(lambda: len(served.worker_pids()) == 2, 30, "the task worker to restart")
    _wait_for(lambda: len(served.server_pids()) == 2, 30, "a new server process")
    _wait_for(lambda: not _running(server) and not _running(worker), 30, "the old ones to end")
    assert served.answers()
    new_worker, new_server = served.worker_pids()[1], served.server_pids()[1]
    assert _running(new_worker) and _running(new_server)
    assert "was killed" not in served.output()  # a reload is no failure

    asked = time.monotonic()
    served.process.send_signal(signal.SIGTERM)
    assert served.process.wait(timeout=30) == 0
    assert time.monotonic() - asked < 15
    _wait_for(lambda: not _running(new_worker) and not _running(new_server), 5, "all to stop")
