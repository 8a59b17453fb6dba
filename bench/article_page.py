"""Requests per second for knowhow's article page against a bare Django view, same server.

Runs both under granian (one worker) on 127.0.0.1 and loads each with wrk for a bounded
time. Prints requests/s and knowhow's ratio to the baseline. Needs wrk (apt-get install wrk).

    .venv/bin/python bench/article_page.py [--seconds 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes]) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1).read()
            return
        except OSError:
            if process.poll() is not None:
                raise SystemExit(f"server exited early: {url}") from None
            time.sleep(0.1)
    raise SystemExit(f"server did not answer: {url}")


def wrk(url: str, seconds: int, connections: int) -> float:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if errors:
        raise SystemExit(f"{url}: {errors.group(1)} error responses\n{out}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]


def run(cmd: list[str], env: dict[str, str], cwd: Path | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install wrk")

    work = Path(tempfile.mkdtemp(prefix="knowhow-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    env["KNOWHOW_VAR_DIR"] = str(work / "var")
    knowhow = str(BIN / "knowhow")
    subprocess.run([knowhow, "migrate", "-v0"], env=env, check=True)
    subprocess.run([knowhow, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)

    base_env = dict(env, BASELINE_DB=str(work / "baseline.sqlite3"), PYTHONPATH=str(ROOT / "bench"))
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "baseline_app.py")], env=base_env, check=True
    )

    results = {}
    servers = {
        "baseline (bare Django view, 3 comments)": (
            [str(BIN / "granian"), "--interface", "wsgi", "--workers", "1",
             "--blocking-threads", "4", "--port", "{port}", "baseline_app:application"],
            base_env,
            "/",
        ),
        "knowhow article page (uncached)": (
            [knowhow, "serve", "--port", "{port}", "--workers", "1", "--threads", "4"],
            env,
            ARTICLE,
        ),
    }  # fmt: skip
    for name, (cmd, server_env, path) in servers.items():
        port = free_port()
        process = run(
            [part.replace("{port}", str(port)) for part in cmd], server_env, ROOT / "bench"
        )
        try:
            url = f"http://127.0.0.1:{port}{path}"
            wait_for(url, process)
            wrk(url, 2, args.connections)  # warm up
            results[name] = wrk(url, args.seconds, args.connections)
        finally:
            process.terminate()
            process.wait(timeout=20)
        print(f"{name:45s} {results[name]:10.1f} requests/s")
    baseline, ours = results.values()
    print(f"{'knowhow / baseline':45s} {ours / baseline:10.2f}x")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
