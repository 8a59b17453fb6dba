"""A child process that is never silently gone: `knowhow serve` keeps its task worker here.

The worker exits when the database goes away, is missing tables or is killed; each time,
this logs how it ended and starts it again, after a pause that doubles from FIRST_DELAY up
to LONGEST_DELAY while it keeps failing, and starts over once it has run STEADY_AFTER
seconds. `restart()` (on `kill -HUP`) replaces it at once; `stop()` ends it and the watch.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Sequence

logger = logging.getLogger("knowhow.serve")

FIRST_DELAY = 1.0
LONGEST_DELAY = 60.0
STEADY_AFTER = 60.0
STOP_SECONDS = 10.0
# How often the watch looks up from waiting for the process to exit.
_TICK = 0.25


def how_it_ended(returncode: int) -> str:
    if returncode < 0:
        try:
            return f"was killed by signal {signal.Signals(-returncode).name}"
        except ValueError:
            return f"was killed by signal {-returncode}"
    return f"exited with code {returncode}"


class Supervised:
    """One child process, started again whenever it ends until stop() is called."""

    def __init__(
        self,
        name: str,
        command: Sequence[str],
        *,
        env: dict[str, str],
        first_delay: float = FIRST_DELAY,
        longest_delay: float = LONGEST_DELAY,
        steady_after: float = STEADY_AFTER,
        stop_seconds: float = STOP_SECONDS,
        popen: Callable[..., subprocess.Popen[bytes]] | None = None,
    ) -> None:
        self.name = name
        self.command = list(command)
        self.env = env
        self.first_delay = first_delay
        self.longest_delay = longest_delay
        self.steady_after = steady_after
        self.stop_seconds = stop_seconds
        self.popen = popen
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self._wake = threading.Event()
        self._stopping = False
        self._restarting = False
        self._watch: threading.Thread | None = None

    @property
    def pid(self) -> int | None:
        return self.process.pid if self.process is not None else None

    def start(self) -> None:
        """Start the process now (an error here is the caller's), then keep it running."""
        self.process = self._spawn()
        self._watch = threading.Thread(target=self._keep_running, name=self.name, daemon=True)
        self._watch.start()

    def restart(self, env: dict[str, str] | None = None) -> None:
        """End the running process (gently) and start a new one at once (with env, when
        given: the settings read again)."""
        if env is not None:
            self.env = env
        self._restarting = True
        self._wake.set()

    def stop(self) -> None:
        """End the process, waiting up to stop_seconds for it to finish what it is doing."""
        self._stopping = True
        self._wake.set()
        if self._watch is not None:
            self._watch.join(self.stop_seconds + 5)
        elif self.process is not None:
            self._end(self.process)

    # -- the watch, in its own thread --------------------------------------------------------

    def _spawn(self) -> subprocess.Popen[bytes]:
        # Its own process group: Ctrl+C in a terminal reaches this process alone, which
        # then stops the child with one signal, so a task in progress may finish.
        popen = self.popen or subprocess.Popen
        process = popen(self.command, env=self.env, process_group=0)
        self.starts += 1
        logger.info("%s started (pid %d)", self.name, process.pid)
        return process

    def _keep_running(self) -> None:
        delay = self.first_delay
        process = self.process
        while not self._stopping:
            started = time.monotonic()
            if process is not None:
                returncode = self._wait(process)
                if self._stopping:
                    return
                if returncode is None:  # restart() ended it
                    self._restarting = False
                    delay = self.first_delay
                    process = self._try_spawn()
                    continue
                ran = time.monotonic() - started
                if ran >= self.steady_after:
                    delay = self.first_delay
                logger.warning(
                    "%s (pid %d) %s after %.1f s; starting it again in %g s",
                    self.name,
                    process.pid,
                    how_it_ended(returncode),
                    ran,
                    delay,
                )
            self._wake.wait(delay)
            self._wake.clear()
            if self._stopping:
                return
            self._restarting = False
            process = self._try_spawn()
            delay = min(delay * 2, self.longest_delay)

    def _try_spawn(self) -> subprocess.Popen[bytes] | None:
        try:
            self.process = self._spawn()
        except OSError as error:
            logger.error("%s could not be started: %s", self.name, error)
            self.process = None
        return self.process

    def _wait(self, process: subprocess.Popen[bytes]) -> int | None:
        """The process's exit code, or None when stop() or restart() ended it."""
        while True:
            try:
                return process.wait(timeout=_TICK)
            except subprocess.TimeoutExpired:
                pass
            if self._stopping or self._restarting:
                self._wake.clear()
                if self._restarting and not self._stopping:
                    logger.info("%s (pid %d): restarting", self.name, process.pid)
                self._end(process)
                return None

    def _end(self, process: subprocess.Popen[bytes]) -> None:
        if process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=self.stop_seconds)
        except subprocess.TimeoutExpired:
            logger.warning("%s (pid %d) did not stop in time: killed", self.name, process.pid)
            process.kill()
            process.wait()
