"""Processes that end when `knowhow serve`, which started them, ends: killed with SIGKILL,
crashed or taken by the OOM killer, it cannot stop them itself, and they would live on,
holding database connections and the port. The task worker (in a process group of its
own, so Ctrl+C reaches the server alone) is told by the kernel; the server processes, which
granian starts from threads of its own, look for their parent every second.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time

logger = logging.getLogger(__name__)

# linux/prctl.h: the signal the kernel sends when the thread that started us exits.
PR_SET_PDEATHSIG = 1
# Elsewhere, how often a thread looks whether the parent is still there.
POLL_SECONDS = 1.0
# Set by `knowhow serve` for the processes it starts: its own pid (not a setting).
SERVE_PID = "KNOWHOW_SERVE_PID"


def end_with_parent(parent: int, sig: signal.Signals = signal.SIGTERM) -> None:
    """Have `sig` sent to this process when `parent` (its parent's pid) ends; at once if it
    already has. SIGTERM lets the worker finish the task in hand, as a clean stop does."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, int(sig), 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_SET_PDEATHSIG) failed")
    else:
        threading.Thread(target=_watch, args=(parent, sig), daemon=True).start()
    # The parent may have ended before the line above: then no signal would ever come.
    if os.getppid() != parent:
        logger.warning("the process that started this one (pid %d) has ended: stopping", parent)
        os.kill(os.getpid(), sig)


def end_with_serve() -> None:
    """In a server process that `knowhow serve` started, end (SIGTERM) when serve ends; a
    thread looks, as the kernel's signal would follow granian's spawning thread instead."""
    raw = os.environ.get(SERVE_PID, "")
    if not raw.isdigit() or int(raw) == os.getpid():  # not started by serve, or serve itself
        return
    # Only serve's children have its pid; one whose parent is another already lost it.
    watch = threading.Thread(
        target=_watch, args=(int(raw), signal.SIGTERM), name="end-with-serve", daemon=True
    )
    watch.start()


def _watch(parent: int, sig: signal.Signals) -> None:
    while os.getppid() == parent:
        time.sleep(POLL_SECONDS)
    os.kill(os.getpid(), sig)
