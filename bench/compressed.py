"""How fast `knowhow serve` answers the anonymous article page compressed, as browsers ask
for it (`Accept-Encoding: gzip, br`), next to nginx serving a pre-compressed copy of the
same page with `gzip_static`, and without compression, in the same run.

Sets up a throwaway site (SQLite, the demo content), starts `knowhow serve` (two workers),
takes the article page as a visitor with a CSRF cookie gets it, and gives nginx that page
and its `gzip -9` copy. Loads each with wrk for a bounded time:

    a. nginx, the plain page (no Accept-Encoding)
    b. nginx gzip_static, the pre-compressed copy (Accept-Encoding: gzip, br)
    c. knowhow serve, Accept-Encoding: gzip, br (brotli, token spliced in)
    d. knowhow serve, Accept-Encoding: gzip (gzip, token spliced in)
    e. knowhow serve, no Accept-Encoding (the plain page)

Prints requests/s, median and 99th percentile latency, bytes per response, and the ratios
to nginx's plain and pre-compressed answers. Needs wrk and nginx; installs nothing.

    .venv/bin/python bench/compressed.py [--duration 10] [--connections 32] [--threads 2]
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from serve import KNOWHOW, NGINX_HEAD, Result, free_port, knowhow, measure, run_nginx, wait_for

ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"
BROWSER = "gzip, br"

NGINX_CONF = (
    NGINX_HEAD
    + """  server {{
    listen 127.0.0.1:{port};
    root {www};
    gzip_static on;
    location / {{ try_files /index.html =404; }}
  }}
}}
"""
)


def get(port: int, headers: dict[str, str]) -> tuple[http.client.HTTPResponse, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", ARTICLE, headers=headers)
        response = connection.getresponse()
        return response, response.read()
    finally:
        connection.close()


def one(base: str, path: str, headers: dict[str, str]) -> tuple[str, int]:
    """The Content-Encoding and the number of body bytes of one answer."""
    host, port = base.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        return response.headers.get("Content-Encoding") or "-", len(response.read())
    finally:
        connection.close()


def start_nginx(work: Path, page: bytes) -> tuple[str, subprocess.Popen[bytes]]:
    www = work / "www"
    www.mkdir()
    (www / "index.html").write_bytes(page)
    (www / "index.html.gz").write_bytes(gzip.compress(page, 9))
    (work / "nginx-tmp").mkdir()
    work.chmod(0o711)  # nginx's workers run as an unprivileged user when started by root
    www.chmod(0o755)
    for name in ("index.html", "index.html.gz"):
        (www / name).chmod(0o644)
    return run_nginx(work, NGINX_CONF, www)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per case (10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    args = parser.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is not installed")
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="knowhow-compressed-bench-") as folder:
        work = Path(folder)
        app_port = free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env |= {
            "KNOWHOW_VAR_DIR": str(work / "var"),
            "KNOWHOW_SECRET_KEY": "compressed-bench-only-key",
            "KNOWHOW_ALLOWED_HOSTS": "127.0.0.1",
        }
        knowhow(["migrate", "-v0"], env)
        knowhow(["demo", "--if-empty"], env)
        try:
            log = (work / "serve.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [
                        str(KNOWHOW),
                        "serve",
                        "--port",
                        str(app_port),
                        "--workers",
                        "2",
                        "--no-worker",
                    ],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )  # fmt: skip
            )
            app = f"http://127.0.0.1:{app_port}"
            wait_for(f"{app}/", processes[-1], work / "serve.log")
            first, _ = get(app_port, {})
            cookie = first.headers["Set-Cookie"].split(";")[0]
            response, page = get(app_port, {"Cookie": cookie})
            assert response.headers["X-Cache"] == "HIT", response.headers
            static, nginx = start_nginx(work, page)
            processes.append(nginx)
            own = f"Cookie: {cookie}"
            cases = [
                ("nginx: plain page", static, "/", {}),
                ("nginx gzip_static: pre-compressed copy", static, "/",
                 {"Accept-Encoding": BROWSER}),
                ("knowhow serve: gzip, br", app, ARTICLE, {"Accept-Encoding": BROWSER}),
                ("knowhow serve: gzip", app, ARTICLE, {"Accept-Encoding": "gzip"}),
                ("knowhow serve: plain", app, ARTICLE, {}),
            ]  # fmt: skip
            sizes = {}
            for name, base, path, headers in cases:
                sizes[name] = one(base, path, {"Cookie": cookie, **headers})
            print(f"article page: {len(page)} bytes plain; {args.connections} connections")
            results: list[Result] = []
            for name, base, path, headers in cases:
                sent = (own, *(f"{k}: {v}" for k, v in headers.items()))
                results.append(measure(name, f"{base}{path}", args, headers=sent))
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
    plain, static_gz = results[0], results[1]
    print(
        f"\n{'case':40} {'encoding':>8} {'bytes':>7} {'× plain':>8} {'req/s':>8}"
        f" {'p50 ms':>7} {'p99 ms':>7} {'× nginx':>8} {'× gz_static':>11} errors"
    )
    for result in results:
        encoding, size = sizes[result.name]
        print(
            f"{result.name:40} {encoding:>8} {size:7d} {size / len(page):8.2f}"
            f" {result.requests_per_second:8.0f} {result.p50_ms:7.2f} {result.p99_ms:7.2f}"
            f" {result.requests_per_second / plain.requests_per_second:8.2f}"
            f" {result.requests_per_second / static_gz.requests_per_second:11.2f}"
            f" {result.errors}"
        )


if __name__ == "__main__":
    sys.exit(main())
