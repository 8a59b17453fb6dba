"""How fast the anonymous article page comes through nginx in front of two app servers,
next to the same nginx serving a static copy of the page in the same run.

Sets up a throwaway fleet on this machine as deploy/fleet/ lays it out: one PostgreSQL
database (made anew on --database-url's server), a Redis of its own on a free port, two
`knowhow serve` servers with data folders of their own and no task worker
(KNOWHOW_TASK_WORKER=false), and nginx with an upstream of both (keep-alive, as
deploy/fleet/knowhow.conf; plain HTTP here, so that TLS does not weigh on one side only).
Loads each case with wrk for a bounded time:

    a. nginx serving a static copy of the anonymous article page (the baseline)
    b. the article page through nginx, shared out between the two servers
    c. the article page from one server alone, without nginx

Prints requests/s, median and 99th percentile latency and the ratio to the nginx
baseline. Needs wrk, nginx and redis-server (apt-get install wrk nginx-light
redis-server) and a PostgreSQL server; installs nothing.

    .venv/bin/python bench/fleet.py [--duration 10] [--connections 32] [--threads 2]
        [--server-workers 1] [--database-url postgres://postgres@127.0.0.1:5432/knowhow_bench_fleet]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from kill_flood import fresh_postgres
from serve import KNOWHOW, NGINX_HEAD, Result, free_port, knowhow, measure, wait_for

ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"
COLLECT = "from knowhow.server import static_files; static_files.collect(print)"

NGINX_CONF = (
    NGINX_HEAD
    + """  upstream knowhow {{
    server 127.0.0.1:{app1} max_fails=1 fail_timeout=10s;
    server 127.0.0.1:{app2} max_fails=1 fail_timeout=10s;
    keepalive 32;
  }}
  server {{
    listen 127.0.0.1:{port};
    location = /static-copy/ {{ root {www}; try_files /index.html =404; }}
    location / {{
      proxy_pass http://knowhow;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    }}
  }}
}}
"""
)


def start_redis(work: Path) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    redis = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "",
         "--dir", str(work)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    for _ in range(100):
        done = subprocess.run(
            ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True, check=False
        )
        if done.stdout.strip() == "PONG":
            return f"redis://127.0.0.1:{port}/0", redis
        time.sleep(0.05)
    raise SystemExit("redis-server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per case (10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument(
        "--server-workers", type=int, default=1, help="processes of each app server (1)"
    )
    parser.add_argument(
        "--database-url",
        default="postgres://postgres@127.0.0.1:5432/knowhow_bench_fleet",
        help="the fleet's database, dropped and made anew",
    )
    args = parser.parse_args()
    if not 1 <= args.duration <= 300:
        parser.error("--duration is seconds, 1 to 300")
    for tool in ("wrk", "nginx", "redis-server", "redis-cli"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            raise SystemExit(f"{tool} is not installed")
    fresh_postgres(args.database_url)
    processes: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory(prefix="knowhow-fleet-bench-") as folder:
        work = Path(folder)
        try:
            cache_url, redis = start_redis(work)
            processes.append(redis)
            base = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
            base.pop("DJANGO_SETTINGS_MODULE", None)
            base |= {
                "KNOWHOW_DATABASE_URL": args.database_url,
                "KNOWHOW_CACHE_URL": cache_url,
                "KNOWHOW_SECRET_KEY": "fleet-bench-only-key",
                "KNOWHOW_ALLOWED_HOSTS": "127.0.0.1",
                "KNOWHOW_MEDIA_ROOT": str(work / "shared-media"),
                "KNOWHOW_TASK_WORKER": "false",
            }

            def machine(name: str) -> dict[str, str]:
                return base | {"KNOWHOW_VAR_DIR": str(work / name / "var")}

            knowhow(["migrate", "-v0"], machine("app-1"))
            knowhow(["demo", "--if-empty"], machine("app-1"))
            knowhow(["shell", "-v0", "-c", COLLECT], machine("app-1"))
            shutil.copytree(work / "app-1" / "var" / "static", work / "app-2" / "var" / "static")
            apps = []
            for name in ("app-1", "app-2"):
                port = free_port()
                log = work / f"{name}.log"
                with log.open("wb") as out:
                    processes.append(
                        subprocess.Popen(
                            [
                                str(KNOWHOW),
                                "serve",
                                "--port",
                                str(port),
                                "--workers",
                                str(args.server_workers),
                            ],
                            env=machine(name),
                            stdout=out,
                            stderr=subprocess.STDOUT,
                        )  # fmt: skip
                    )
                apps.append(f"http://127.0.0.1:{port}")
                wait_for(f"{apps[-1]}/", processes[-1], log)

            with urllib.request.urlopen(f"{apps[0]}{ARTICLE}", timeout=30) as first:
                cookie = first.headers["Set-Cookie"].split(";")[0]
            request = urllib.request.Request(f"{apps[0]}{ARTICLE}", headers={"Cookie": cookie})
            with urllib.request.urlopen(request, timeout=30) as page:
                body = page.read()
            www = work / "www"
            www.mkdir()
            (www / "index.html").write_bytes(body)
            (work / "nginx-tmp").mkdir()
            # nginx's workers run as an unprivileged user when started by root: let them read.
            for path in (work, www):
                path.chmod(0o755)
            (www / "index.html").chmod(0o644)
            port = free_port()
            conf = work / "nginx.conf"
            conf.write_text(
                NGINX_CONF.format(
                    work=work,
                    www=www,
                    port=port,
                    app1=apps[0].rsplit(":", 1)[1],
                    app2=apps[1].rsplit(":", 1)[1],
                )
            )
            nginx_log = work / "nginx-error.log"
            processes.append(
                subprocess.Popen(
                    ["nginx", "-p", str(work), "-c", str(conf), "-e", str(nginx_log)],
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )  # fmt: skip
            )
            front = f"http://127.0.0.1:{port}"
            wait_for(f"{front}/static-copy/", processes[-1], nginx_log)
            print(
                f"article page: {len(body)} bytes; {args.connections} connections;"
                f" two servers of {args.server_workers} process(es) each, PostgreSQL + Redis"
            )
            cookie_header = (f"Cookie: {cookie}",)
            results: list[Result] = [
                measure("nginx static copy", f"{front}/static-copy/", args),
                measure(
                    "nginx in front of two servers: article page",
                    f"{front}{ARTICLE}",
                    args,
                    headers=cookie_header,
                ),
                measure(
                    "one server alone: article page",
                    f"{apps[0]}{ARTICLE}",
                    args,
                    headers=cookie_header,
                ),  # fmt: skip
            ]
        finally:
            for process in reversed(processes):
                process.terminate()
            for process in processes:
                process.wait(timeout=30)
    baseline = results[0].requests_per_second
    print(f"\n{'case':46} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'× nginx':>8} errors")
    for result in results:
        print(
            f"{result.name:46} {result.requests_per_second:9.0f} {result.p50_ms:8.2f}"
            f" {result.p99_ms:8.2f} {result.requests_per_second / baseline:8.2f} {result.errors}"
        )


if __name__ == "__main__":
    sys.exit(main())
