"""How fast the anonymous article page comes through Varnish, next to nginx serving a
static copy of the same page in the same run.

Sets up a throwaway site (SQLite, the demo content), starts `knowhow serve` (two workers)
with KNOWHOW_EDGE_PURGE_URLS pointing at a `varnishd` that runs the shipped
deploy/varnish/knowhow.vcl in front of it, and nginx serving the page's bytes as a file.
Loads each with wrk for a bounded time:

    a. nginx serving a static copy of the anonymous article page (the baseline)
    b. the article page through Varnish, for a visitor with a CSRF cookie: a Varnish hit,
       the same copy for everyone (no token in it; its form's time everyone's for two
       seconds, so knowhow is asked for it about every two seconds)
    c. the article's print page through Varnish (no form: a hit with nothing to fill)
    d. the article page from `knowhow serve` alone (its own memory)

Each case runs twice: with `Accept-Encoding: gzip, br`, as browsers ask (nginx serves a
`gzip -9` copy with `gzip_static`, Varnish the gzip copy it keeps, knowhow brotli), and
with no Accept-Encoding (plain bytes from each). Prints requests/s, median and 99th
percentile latency, bytes per response and the ratio to nginx in the same group.
Needs varnish, varnish-modules, wrk and nginx (apt-get install ...); installs nothing.

    .venv/bin/python bench/varnish.py [--duration 10] [--connections 32] [--threads 2]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from compressed import start_nginx
from serve import KNOWHOW, Result, free_port, knowhow, measure, wait_for

ROOT = Path(__file__).resolve().parents[1]
VCL = ROOT / "deploy" / "varnish" / "knowhow.vcl"
ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per case (10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    args = parser.parse_args()
    for tool in ("varnishd", "wrk", "nginx"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is not installed")
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="knowhow-varnish-bench-") as folder:
        work = Path(folder)
        app_port, edge_port = free_port(), free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
        env.pop("DJANGO_SETTINGS_MODULE", None)
        env |= {
            "KNOWHOW_VAR_DIR": str(work / "var"),
            "KNOWHOW_SECRET_KEY": "varnish-bench-only-key",
            "KNOWHOW_ALLOWED_HOSTS": "127.0.0.1",
        }
        knowhow(["migrate", "-v0"], env)
        knowhow(["demo", "--if-empty"], env)
        env["KNOWHOW_EDGE_PURGE_URLS"] = f"varnish://127.0.0.1:{edge_port}"
        try:
            app_log = (work / "serve.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [str(KNOWHOW), "serve", "--port", str(app_port), "--workers", "2"],
                    env=env,
                    stdout=app_log,
                    stderr=subprocess.STDOUT,
                )  # fmt: skip
            )
            app = f"http://127.0.0.1:{app_port}"
            wait_for(f"{app}/", processes[-1], work / "serve.log")
            vcl = work / "knowhow.vcl"
            vcl.write_text(VCL.read_text().replace('.port = "8000";', f'.port = "{app_port}";'))
            edge_log = (work / "varnish.log").open("wb")
            processes.append(
                subprocess.Popen(
                    [
                        "varnishd",
                        "-F",
                        "-n",
                        str(work / "varnish"),
                        "-j",
                        "none",
                        "-T",
                        "none",
                        "-a",
                        f"127.0.0.1:{edge_port}",
                        "-f",
                        str(vcl),
                        "-s",
                        "malloc,256m",
                    ],
                    stdout=edge_log,
                    stderr=subprocess.STDOUT,
                )  # fmt: skip
            )
            edge = f"http://127.0.0.1:{edge_port}"
            wait_for(f"{edge}/", processes[-1], work / "varnish.log")
            with urllib.request.urlopen(f"{edge}{ARTICLE}", timeout=30) as first:
                cookie = first.headers["Set-Cookie"].split(";")[0]
            request = urllib.request.Request(f"{edge}{ARTICLE}", headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=30) as page:
                body = page.read()
                assert page.headers["X-Edge"] == "HIT", page.headers
            assert b"esi:include" not in body
            static, nginx = start_nginx(work, body)
            processes.append(nginx)
            print(f"article page: {len(body)} bytes; {args.connections} connections")
            cases = [
                ("nginx static copy", f"{static}/"),
                ("Varnish: article page (form time kept 2 s)", f"{edge}{ARTICLE}"),
                ("Varnish: print page (no form)", f"{edge}{ARTICLE}print/"),
                ("knowhow serve alone: article page", f"{app}{ARTICLE}"),
            ]
            groups: list[tuple[str, list[tuple[Result, tuple[str, int]]]]] = []
            for label, accept in (("as browsers ask: gzip, br", "gzip, br"), ("plain", "")):
                asked = {"Cookie": cookie} | ({"Accept-Encoding": accept} if accept else {})
                sent = tuple(f"{k}: {v}" for k, v in asked.items())
                rows = [
                    (measure(f"{name} ({label})", url, args, headers=sent),
                     answer_size(url, asked))
                    for name, url in cases
                ]  # fmt: skip
                groups.append((label, rows))
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
    for label, rows in groups:
        base = rows[0][0].requests_per_second
        print(f"\n{label}")
        print(
            f"{'case':60} {'bytes':>12} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8}"
            f" {'× nginx':>8} errors"
        )
        for result, (encoding, size) in rows:
            print(
                f"{result.name:60} {size:7d} {encoding:>4} {result.requests_per_second:9.0f}"
                f" {result.p50_ms:8.2f} {result.p99_ms:8.2f}"
                f" {result.requests_per_second / base:8.2f} {result.errors}"
            )


def answer_size(url: str, headers: dict[str, str]) -> tuple[str, int]:
    """The Content-Encoding ("-" for none) and body bytes of one answer."""
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.headers.get("Content-Encoding") or "-", len(response.read())


if __name__ == "__main__":
    sys.exit(main())
