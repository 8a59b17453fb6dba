"""A thread of 50 comments as JSON: knowhow's API beside Isso, a comment server, and nginx
serving a static copy of knowhow's bytes (the baseline), all on this machine.

Sets up a throwaway knowhow site (SQLite, the demo content, 50 posts on one article) and
starts `knowhow serve` (granian, 2 workers, 4 threads each). Installs Isso from PyPI into
a virtual environment in a temporary folder (nothing of Isso is kept or committed), gives it
the same 50 comments through its own API (POST /new) and serves it with gunicorn (2
workers, 4 threads each: as many as knowhow's). Loads each for a bounded time with wrk:

    a. nginx, a static copy of knowhow's posts JSON (the baseline)
    b. knowhow: GET /api/v1/articles/SLUG/posts/?limit=50, anonymous
    c. Isso: GET /?uri=/bench-thread/ (its thread, 50 comments), anonymous

and prints requests/s, median and 99th percentile latency and their ratios. Both servers
keep their answers' data in SQLite; knowhow answers from its page cache, Isso queries its
database for every request. Needs wrk and nginx (apt-get install wrk nginx-light) and a
network path to PyPI for Isso; without one it says why and measures knowhow and nginx.
Remark42 is a Go program shipped as a binary outside the package registries this
workplace reaches, so it is not compared here.

    .venv/bin/python bench/comments_json.py [--duration 10] [--connections 32] [--threads 2]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import serve  # noqa: E402  (the serving bench's helpers, beside this file)

ISSO = "isso==0.14.*"
ISSO_URI = "/bench-thread/"
ISSO_CONF = """
[general]
dbpath = {work}/isso.db
host = http://127.0.0.1:{port}/
max-age = 15m
[moderation]
enabled = false
[guard]
enabled = false
[server]
listen = http://127.0.0.1:{port}/
"""


def install_isso(work: Path) -> tuple[Path | None, str]:
    """A virtual environment with Isso and gunicorn in it, or None and why not."""
    venv = work / "isso-venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    done = subprocess.run(
        [str(venv / "bin" / "pip"), "install", "-q", ISSO, "gunicorn>=22,<24"],
        capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        return None, f"pip install {ISSO} failed: {(done.stdout + done.stderr)[-600:]}"
    return venv, ""


def start_isso(work: Path, venv: Path, threads: int) -> tuple[str, subprocess.Popen[bytes]]:
    port = serve.free_port()
    conf = work / "isso.cfg"
    conf.write_text(ISSO_CONF.format(work=work, port=port))
    env = {**os.environ, "ISSO_SETTINGS": str(conf)}
    log = work / "isso.log"
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 - our own command
            [str(venv / "bin" / "gunicorn"), "--workers", "2", "--worker-class", "gthread",
             "--threads", str(threads), "--bind", f"127.0.0.1:{port}", "--log-level",
             "warning", "isso.run"],
            env=env, stdout=out, stderr=subprocess.STDOUT, process_group=0,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    serve.wait_for(f"{base}/info", server, log)
    return base, server


def fill_isso(base: str, knowhow_posts: list[dict[str, object]]) -> None:
    """The same thread in Isso: each of knowhow's 50 posts (oldest first), its text and its
    author, through Isso's own API, as its page script sends them."""
    for post in reversed(knowhow_posts):
        body = {
            "text": _text_of(str(post["body_html"])),
            "author": post["author"] or None,
            "title": "What is a Muscle Cramp?",
        }
        request = urllib.request.Request(
            f"{base}/new?uri={ISSO_URI}",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            if answer.status != 201:
                raise SystemExit(f"Isso refused a comment: {answer.status}")


def _text_of(html: str) -> str:
    """Markdown again for Isso to render, from knowhow's rendered post (two paragraphs)."""
    text = html.replace("<em>", "*").replace("</em>", "*")
    for tag in ("<p>", "</p>"):
        text = text.replace(tag, "\n" if tag == "</p>" else "")
    return text.strip()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per case (10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument("--server-threads", type=int, default=4, help="threads per worker (4)")
    args = parser.parse_args()
    if not 1 <= args.duration <= 300:
        parser.error("--duration is seconds, 1 to 300")
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    if missing:
        raise SystemExit(f"{' and '.join(missing)} not found: apt-get install wrk nginx-light")
    work = Path(tempfile.mkdtemp(prefix="knowhow-comments-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    env.update(serve.SERVER_ENV, KNOWHOW_VAR_DIR=str(work / "var"))
    server = nginx = isso = None
    try:
        print("setting up a throwaway site in", work, flush=True)
        serve.knowhow(["migrate", "--noinput", "-v0"], env)
        serve.knowhow(["demo"], env)
        chosen = json.loads(
            serve.knowhow(["shell", "-c", serve.SETUP], env).strip().splitlines()[-1]
        )
        base, server = serve.start_knowhow(work, env, args.server_threads)
        posts_url = f"{base}/api/v1/articles/{chosen['article']}/posts/?limit={serve.POSTS}"
        posts_json = serve.fetch(posts_url)
        posts = json.loads(posts_json)["items"]
        assert len(posts) == serve.POSTS, len(posts)
        page = serve.fetch(f"{base}/articles/{chosen['article']}/")
        nginx_base, nginx = serve.start_nginx(work, page, posts_json)
        print("installing Isso in a temporary virtual environment ...", flush=True)
        venv, why_not = install_isso(work)
        isso_url = ""
        if venv is not None:
            isso_base, isso = start_isso(work, venv, args.server_threads)
            fill_isso(isso_base, posts)
            isso_url = f"{isso_base}/?uri={ISSO_URI}"
            shown = json.loads(serve.fetch(isso_url))
            if shown["total_replies"] != serve.POSTS:
                raise SystemExit(f"Isso shows {shown['total_replies']} comments, not 50")
        else:
            print(f"  Isso is not measured: {why_not}")
        results = [
            serve.measure("a. nginx, static knowhow posts JSON", f"{nginx_base}/posts.json", args),
            serve.measure("b. knowhow API, 50 posts, anonymous", posts_url, args),
        ]
        if isso_url:
            results.append(serve.measure("c. Isso, 50 comments, anonymous", isso_url, args))
        print(f"\n{'case':40s} {'req/s':>9s} {'p50 ms':>8s} {'p99 ms':>8s} {'errors':>7s}")
        for r in results:
            print(f"{r.name:40s} {r.requests_per_second:9.1f} {r.p50_ms:8.2f} {r.p99_ms:8.2f} "
                  f"{r.errors:7d}")  # fmt: skip
        print(f"\n{'ratio':40s} {'req/s':>9s} {'p50':>8s} {'p99':>8s}")
        pairs = [("b / a (knowhow / nginx)", results[1], results[0])]
        if len(results) > 2:
            pairs += [("c / a (Isso / nginx)", results[2], results[0]),
                      ("b / c (knowhow / Isso)", results[1], results[2])]  # fmt: skip
        for name, top, low in pairs:
            rate = top.requests_per_second / low.requests_per_second
            print(f"{name:40s} {rate:9.3f} {top.p50_ms / low.p50_ms:8.3f} "
                  f"{top.p99_ms / low.p99_ms:8.3f}")  # fmt: skip
        print(f"  knowhow posts JSON: {len(posts_json):,} bytes", end="")
        if isso_url:
            print(f"; Isso thread JSON: {len(serve.fetch(isso_url)):,} bytes")
        else:
            print()
    finally:
        serve.stop(isso, group=True)
        serve.stop(nginx)
        serve.stop(server, group=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
