"""The supervisor behind `knowhow serve`'s task worker, on small real processes: every exit
is logged with its code or signal and followed by a new start, after pauses that double
while it keeps failing and start over once it has run a while; stop() ends even a process
that ignores SIGTERM."""

from __future__ import annotations

import logging
import sys
import time

import pytest

from knowhow.server.supervision import Supervised
from tests.test_serve_worker import _running, _wait_for

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = [pytest.mark.timing, pytest.mark.same_in_both_passes]

FAILS = [sys.executable, "-c", "import sys; sys.exit(3)"]
RUNS = [sys.executable, "-c", "import time; time.sleep(60)"]
STUBBORN = [
    sys.executable,
    "-c",
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)",
]


def _pauses(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage().rsplit("starting it again in ", 1)[1]
        for r in caplog.records
        if "starting it again" in r.getMessage()
    ]


def test_a_failing_process_is_started_again_with_doubling_pauses(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="knowhow.serve")
    supervised = Supervised(
        "task worker", FAILS, env={}, first_delay=0.05, longest_delay=0.2, steady_after=30
    )
    supervised.start()
    try:
        _wait_for(lambda: supervised.starts >= 5, 20, "five starts")
    finally:
        supervised.stop()
    assert _pauses(caplog)[:4] == ["0.05 s", "0.1 s", "0.2 s", "0.2 s"]
    exits = [r for r in caplog.records if "exited with code 3" in r.getMessage()]
    assert exits and all(r.levelno == logging.WARNING for r in exits)


def test_the_pause_starts_over_after_the_process_ran_a_while(
    caplog: pytest.LogCaptureFixture,
) -> None:
    supervised = Supervised(
        "task worker", FAILS, env={}, first_delay=0.05, longest_delay=10, steady_after=0
    )
    supervised.start()
    try:
        _wait_for(lambda: supervised.starts >= 4, 20, "four starts")
    finally:
        supervised.stop()
    assert set(_pauses(caplog)) == {"0.05 s"}


def test_a_killed_process_is_named_by_its_signal(caplog: pytest.LogCaptureFixture) -> None:
    supervised = Supervised("task worker", RUNS, env={}, first_delay=0.05)
    supervised.start()
    try:
        first = supervised.pid
        assert first is not None
        supervised.process.kill()  # type: ignore[union-attr]
        _wait_for(lambda: supervised.starts == 2, 20, "a second start")
        assert supervised.pid != first and _running(supervised.pid)  # type: ignore[arg-type]
    finally:
        supervised.stop()
    assert f"task worker (pid {first}) was killed by signal SIGKILL" in caplog.text


def test_restart_replaces_the_process_at_once(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="knowhow.serve")
    supervised = Supervised("task worker", RUNS, env={}, first_delay=30)
    supervised.start()
    try:
        first = supervised.pid
        supervised.restart()
        _wait_for(lambda: supervised.starts == 2, 10, "the new process")
        assert not _running(first)  # type: ignore[arg-type]
    finally:
        supervised.stop()
    assert "starting it again" not in caplog.text  # no failure, no pause


def test_stop_ends_a_process_that_ignores_sigterm(caplog: pytest.LogCaptureFixture) -> None:
    supervised = Supervised("task worker", STUBBORN, env={}, stop_seconds=1)
    supervised.start()
    time.sleep(0.5)  # lets it install its handler
    pid = supervised.pid
    asked = time.monotonic()
    supervised.stop()
    assert time.monotonic() - asked < 5
    assert not _running(pid)  # type: ignore[arg-type]
    assert supervised.starts == 1  # and nothing started after it
    assert "did not stop in time: killed" in caplog.text
