"""For bench/hit_cost.py --served: the site's WSGI application (knowhow.wsgi) as granian
serves it, each call timed on its own thread's CPU clock and on the wall clock, and
profiled when SERVED_PROFILE is set.

Every second or so each process writes what it counted to SERVED_OUT/<pid>.json (and
its threads' profiles to SERVED_OUT/<pid>-<thread>.prof), which the bench reads after
loading the server.
"""

from __future__ import annotations

import cProfile
import json
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from knowhow.wsgi import application as site

OUT = Path(os.environ["SERVED_OUT"])
PROFILE = bool(os.environ.get("SERVED_PROFILE"))
_lock = threading.Lock()
_totals = {"answers": 0, "cpu": 0.0, "wall": 0.0}
_local = threading.local()


def _write(now: float, profile: cProfile.Profile | None) -> None:
    """This process's counts, and this thread's profile (each thread writes its own)."""
    _local.due = now + 1.0
    with _lock:
        totals = dict(_totals)
    ours = OUT / f"{os.getpid()}-{threading.get_ident()}.tmp"  # then in place, whole
    ours.write_text(json.dumps(totals))
    ours.replace(OUT / f"{os.getpid()}.json")
    if profile is not None:
        name = OUT / f"{os.getpid()}-{threading.get_ident()}"
        profile.dump_stats(name.with_suffix(".part"))
        name.with_suffix(".part").replace(name.with_suffix(".prof"))


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    profile: cProfile.Profile | None = None
    if PROFILE:
        profile = getattr(_local, "profile", None) or cProfile.Profile()
        _local.profile = profile
    wall, cpu = time.perf_counter(), time.thread_time()
    if profile is not None:
        profile.enable()
    try:
        return site(environ, start_response)
    finally:
        if profile is not None:
            profile.disable()
        cpu, now = time.thread_time() - cpu, time.perf_counter()
        with _lock:
            _totals["answers"] += 1
            _totals["cpu"] += cpu
            _totals["wall"] += now - wall
        if now >= getattr(_local, "due", 0.0):
            _write(now, profile)
