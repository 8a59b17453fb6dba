"""What one answer from the page cache costs in-process: the Python work per kept page.

Sets up a throwaway site (SQLite, the demo content, its static files), then calls the
site's WSGI application directly for the seed article, already kept, as an anonymous
visitor: once asking for it plain, once as browsers ask (`Accept-Encoding: gzip, br`).
Prints the CPU time per answer (time.process_time, so another program on the machine
barely moves it) and the wall time; `--profile` adds the functions that cost most.

This is the part of a cached request that knowhow decides; the server (granian), the
network and the client add the rest, which `bench/serve.py` measures beside nginx.

`--served SECONDS` measures the same answers inside the server instead: the site under
granian as `knowhow serve` runs it (2 workers, --server-threads each), loaded by wrk
(-t2 -c32, plain answers) for that long, each call to the application timed on its
thread's CPU clock and on the wall clock (bench/served_app.py): threads waiting for the
GIL, and wrk on the same cores, show there. Prints requests/s, p50 and p99 with the
µs per answer; with `--profile`, the functions that cost most there.

    .venv/bin/python bench/hit_cost.py [--answers 20000] [--profile]
    .venv/bin/python bench/hit_cost.py --served 10 [--server-threads 4] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent
KNOWHOW = str(BIN / "knowhow")
ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"


def environ(encoding: str) -> dict[str, object]:
    found: dict[str, object] = {
        "REQUEST_METHOD": "GET", "PATH_INFO": ARTICLE, "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8000", "HTTP_HOST": "127.0.0.1:8000",
        "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(), "wsgi.errors": sys.stderr,
    }  # fmt: skip
    if encoding:
        found["HTTP_ACCEPT_ENCODING"] = encoding
    return found


def served(work: Path, env: dict[str, str], args: argparse.Namespace) -> None:
    """The kept article under granian, loaded by wrk: requests/s, latency, µs per answer."""
    out = work / "served"
    out.mkdir()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    bench = Path(__file__).resolve().parent
    path = os.pathsep.join(filter(None, [str(bench), env.get("PYTHONPATH", "")]))
    served_env = {**env, "SERVED_OUT": str(out), "PYTHONPATH": path,
                  "DJANGO_SETTINGS_MODULE": "knowhow.settings"}  # fmt: skip
    if args.profile:
        served_env["SERVED_PROFILE"] = "1"
    cmd = [str(BIN / "granian"), "--interface", "wsgi", "--workers", "2", "--blocking-threads",
           str(args.server_threads), "--port", str(port), "--no-access-log",
           "served_app:application"]  # fmt: skip
    url = f"http://127.0.0.1:{port}{ARTICLE}"
    with (work / "granian.log").open("wb") as log:
        server = subprocess.Popen(cmd, env=served_env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):
            if subprocess.run(["curl", "-sf", "-o", "/dev/null", url], check=False).returncode == 0:
                break
            time.sleep(0.2)
        wrk = ["wrk", "-t2", "-c32", "--latency", "--timeout", "10s"]
        # Warm-up: its answers count in the µs per answer too (an average, the same).
        subprocess.run([*wrk, "-d2s", url], capture_output=True, check=True)
        done = subprocess.run([*wrk, f"-d{args.served}s", url], capture_output=True, text=True)
    finally:
        server.terminate()
        server.wait(timeout=30)
    found = {key: re.search(pattern, done.stdout, re.M) for key, pattern in
             (("rps", r"Requests/sec:\s+([\d.]+)"), ("p50", r"^\s+50%\s+(\S+)"),
              ("p99", r"^\s+99%\s+(\S+)"))}  # fmt: skip
    if not all(found.values()):
        raise SystemExit(f"wrk failed:\n{done.stdout}{done.stderr}")
    rps, p50, p99 = (found[key].group(1) for key in ("rps", "p50", "p99"))  # type: ignore[union-attr]
    totals = [json.loads(path.read_text()) for path in out.glob("*.json")]
    answers = sum(t["answers"] for t in totals) or 1
    cpu = sum(t["cpu"] for t in totals) / answers * 1e6
    wall = sum(t["wall"] for t in totals) / answers * 1e6
    print(f"served, {args.server_threads} threads per worker: {float(rps):9.1f} req/s  "
          f"p50 {p50}  p99 {p99}  {cpu:6.1f} µs CPU  {wall:6.1f} µs wall per answer "
          f"in the application")  # fmt: skip
    if args.profile:
        profiles = [str(path) for path in out.glob("*.prof")]
        pstats.Stats(*profiles).sort_stats("tottime").print_stats(20)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=20000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--served", type=int, metavar="SECONDS", help="measure in the server")
    parser.add_argument("--server-threads", type=int, default=4, help="with --served (4)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="knowhow-hit-"))
    env = {**os.environ, "KNOWHOW_VAR_DIR": str(work)}
    for command in (["migrate", "-v0"], ["demo"]):
        subprocess.run([KNOWHOW, *command], env=env, check=True, capture_output=True)
    collect = "from knowhow.server import static_files; static_files.collect(lambda *a: None)"
    subprocess.run([KNOWHOW, "shell", "-c", collect], env=env, check=True, capture_output=True)
    if args.served:
        served(work, env, args)
        return
    os.environ["KNOWHOW_VAR_DIR"] = str(work)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knowhow.settings")
    from knowhow.wsgi import application

    answered: dict[str, object] = {}

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: object = None
    ) -> None:
        answered.update(status=status, headers=dict(headers))

    print(f"{args.answers} answers of the kept seed article, in-process:")
    for label, encoding in (("plain", ""), ("gzip, br", "gzip, br")):
        for _ in range(3):  # rendered, then kept
            body = b"".join(application(environ(encoding), start_response))
        headers = answered["headers"]
        assert isinstance(headers, dict) and headers.get("X-Cache") == "HIT", headers
        wall, cpu = time.perf_counter(), time.process_time()
        for _ in range(args.answers):
            b"".join(application(environ(encoding), start_response))
        cpu = (time.process_time() - cpu) / args.answers * 1e6
        wall = (time.perf_counter() - wall) / args.answers * 1e6
        print(f"  {label:9} {len(body):6} bytes  {cpu:6.1f} µs CPU  {wall:6.1f} µs wall per answer")
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(args.answers):
            b"".join(application(environ("gzip, br"), start_response))
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    main()
