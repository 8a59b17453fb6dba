"""What one answer from the page cache costs in-process: the Python work per kept page.

Sets up a throwaway site (SQLite, the demo content, its static files), then calls the
site's WSGI application directly for the seed article, already kept, as an anonymous
visitor: once asking for it plain, once as browsers ask (`Accept-Encoding: gzip, br`).
Prints the CPU time per answer (time.process_time, so another program on the machine
barely moves it) and the wall time; `--profile` adds the functions that cost most.

This is the part of a cached request that knowhow decides; the server (granian), the
network and the client add the rest, which `bench/serve.py` measures beside nginx.

    .venv/bin/python bench/hit_cost.py [--answers 20000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--answers", type=int, default=20000)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="knowhow-hit-"))
    env = {**os.environ, "KNOWHOW_VAR_DIR": str(work)}
    for command in (["migrate", "-v0"], ["demo"]):
        subprocess.run([KNOWHOW, *command], env=env, check=True, capture_output=True)
    collect = "from knowhow.server import static_files; static_files.collect(lambda *a: None)"
    subprocess.run([KNOWHOW, "shell", "-c", collect], env=env, check=True, capture_output=True)
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
