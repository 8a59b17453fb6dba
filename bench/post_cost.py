"""What one accepted post costs: CPU in-process, and latency through the real server.

Sets up a throwaway site (SQLite, the demo content, a blocklist of a few terms) with the
posting rate limits raised through the environment (the rules themselves unchanged), then:

1. in-process: submits posts through the real service (discussion.services.submit_post),
   each a different text with emphasis, a link and an @mention of a reader in the thread,
   and prints the CPU time of each accepted post (time.process_time: the SQLite work
   included), p50, p99 and mean; `--profile` adds the functions that cost most (cProfile).
2. `--serve`: starts `knowhow serve` (one worker, so figures are per core) on 127.0.0.1 and
   drives it with 8, then 32 concurrent posters, each sending the article page's form (its
   CSRF token from the page, a fresh form token per post as the page would issue it).
   Prints posts/s, p50 and p99 of the POST's latency, the server's CPU per post (read from
   /proc for its process tree) and the ceiling that implies, in posts/s per core.

`--against REF` measures the code of a git commit (its `src/`, exported to a temporary
folder) the same way in the same run, alternating rounds of the two so that the machine's
drift falls on both, and prints the two side by side; with `--serve`, each round's server
figures too (each side's own server, one after the other).

    .venv/bin/python bench/post_cost.py [--posts 600] [--profile]
    .venv/bin/python bench/post_cost.py --against main [--rounds 3]
    .venv/bin/python bench/post_cost.py --against main --serve [--serve-posts 800]
    .venv/bin/python bench/post_cost.py --serve [--serve-posts 800] [--workers 2]
"""

from __future__ import annotations

import argparse
import cProfile
import http.client
import json
import os
import pstats
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

BIN = Path(sys.executable).parent
KNOWHOW = str(BIN / "knowhow")
WARM_UP = 30
BLOCKED = [("word", "miracle cure"), ("domain", "pills.example"), ("word", "crypto signals")]
TOPICS = [
    "stretching before bed helped me",
    "I drink more water now and it is better",
    "my doctor said the same about magnesium",
    "this matches what I read in *another* guide",
    "thanks for the **clear** explanation of the causes",
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def text_of(n: int) -> str:
    """A post like a reader's: a few sentences, some emphasis, a link, a mention."""
    topic = TOPICS[n % len(TOPICS)]
    return (
        f"@bench-reader note {n}: {topic}.\n\n"
        f"I looked it up on https://example.org/guide/{n} and it agrees, "
        f"see the part about night {n % 7} and the _second_ table.\nThank you ({n * 7919})."
    )


def set_up(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    env.update(
        KNOWHOW_VAR_DIR=str(work / "var"),
        KNOWHOW_SECRET_KEY="post-cost-bench-key",
        # Many posts from one address and account in a short run: limits raised (two windows
        # each, as by default), not removed.
        KNOWHOW_POST_RATE_ANONYMOUS="1000000/10m,1000000/1d",
        KNOWHOW_POST_RATE_ACCOUNT="1000000/10m,1000000/1d",
        KNOWHOW_MIN_SUBMIT_SECONDS="0",
    )
    subprocess.run([KNOWHOW, "migrate", "-v0"], env=env, check=True)
    subprocess.run([KNOWHOW, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "knowhow.settings"
    import django

    django.setup()
    from django.contrib.auth.models import User

    from knowhow.antiabuse.models import BlockedTerm
    from knowhow.articles.models import Article
    from knowhow.discussion.services import import_post

    for kind, value in BLOCKED:
        BlockedTerm.objects.get_or_create(kind=kind, value=value)
    reader = User.objects.create_user("bench-reader", password="bench-reader-pass-5x")
    for article in Article.objects.published():  # the mention resolves in every thread
        import_post(article=article, body="First!", author=reader, created_at=article.published_at)
    return env


def in_process(posts: int, profile: bool, quiet: bool = False) -> dict[str, float]:
    from django.contrib.auth.models import User
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from knowhow.antiabuse.addresses import address_of
    from knowhow.articles.models import Article
    from knowhow.discussion.services import submit_post

    articles = list(Article.objects.published().select_related("topic"))
    poster = User.objects.create_user("bench-poster", password="bench-poster-pass-5x")
    address = address_of("127.0.0.1")
    costs: list[float] = []
    profiler = cProfile.Profile() if profile else None
    held = 0
    queries: list[int] = []
    for n in range(WARM_UP + posts):
        article = articles[n % len(articles)]
        started = time.process_time()
        if profiler is not None and n >= WARM_UP:
            profiler.enable()
        outcome = submit_post(
            article=article,
            body=text_of(n),
            author=poster if n % 2 else None,
            account=poster if n % 2 else None,
            address=address,
            form_age=30,
            user_agent="Mozilla/5.0 (bench)",
            form_nonce=f"bench-{n}",
        )
        if profiler is not None:
            profiler.disable()
        spent = time.process_time() - started
        held += outcome.held
        if n >= WARM_UP and not outcome.held and not outcome.duplicate:
            costs.append(spent * 1000)
    for n in range(20):  # the statements one accepted post runs, counted apart from the timing
        with CaptureQueriesContext(connection) as asked:
            outcome = submit_post(
                article=articles[n % len(articles)], body=text_of(10**6 + n), author=poster,
                account=poster, address=address, form_age=30, form_nonce=f"bench-q-{n}",
            )  # fmt: skip
        if not outcome.held:
            queries.append(len(asked.captured_queries))
    figures = {
        "p50": percentile(costs, 0.5),
        "p99": percentile(costs, 0.99),
        "mean": statistics.fmean(costs),
        "queries": statistics.fmean(queries) if queries else 0.0,
    }
    if quiet:
        return figures
    print(f"in-process, SQLite: {len(costs)} accepted posts ({held} held)")
    print(
        f"  CPU per accepted post: p50 {figures['p50']:.2f} ms, "
        f"p99 {figures['p99']:.2f} ms, mean {figures['mean']:.2f} ms; "
        f"{figures['queries']:.1f} SQL statements (BEGIN and COMMIT included)"
    )
    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.print_callees("judge|_store|check_submission|submit_post")
    return figures


def against(ref: str, posts: int, rounds: int, serve_posts: int | None = None) -> None:
    """This checkout and `ref`, measured in alternating rounds, each in a fresh process;
    with `serve_posts`, through the server too, in alternating rounds of their own."""
    root = Path(__file__).resolve().parent.parent
    other = Path(tempfile.mkdtemp(prefix="knowhow-post-cost-ref-"))
    archive = subprocess.run(
        ["git", "-C", str(root), "archive", ref, "src"], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(other)], input=archive, check=True)
    sides = {"this checkout": str(root / "src"), ref: str(other / "src")}
    seen: dict[str, list[dict[str, float]]] = {side: [] for side in sides}
    for round_ in range(rounds):
        for side, src in sides.items() if round_ % 2 == 0 else reversed(sides.items()):
            env = {**os.environ, "PYTHONPATH": src}
            env = {k: v for k, v in env.items() if not k.startswith("KNOWHOW_")}
            out = subprocess.run(
                [sys.executable, __file__, "--posts", str(posts), "--json"],
                env=env, check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            seen[side].append(json.loads(out.strip().splitlines()[-1]))
    print(f"in-process, SQLite, {posts} posts a round, {rounds} rounds (the median round):")
    for side, runs in seen.items():
        middle = sorted(runs, key=lambda run: run["p50"])[len(runs) // 2]
        print(
            f"  {side:16s} CPU per accepted post p50 {middle['p50']:.2f} ms, "
            f"p99 {middle['p99']:.2f} ms, mean {middle['mean']:.2f} ms; "
            f"{middle['queries']:.1f} SQL statements"
        )
    if serve_posts is None:
        return
    print(f"through `knowhow serve` (one worker, SQLite), {serve_posts} posts a run:")
    for round_ in range(rounds):
        for side, src in sides.items() if round_ % 2 == 0 else reversed(sides.items()):
            env = {**os.environ, "PYTHONPATH": src}
            env = {k: v for k, v in env.items() if not k.startswith("KNOWHOW_")}
            out = subprocess.run(
                [sys.executable, __file__, "--posts", "20", "--serve",
                 "--serve-posts", str(serve_posts)],
                env=env, check=True, capture_output=True, text=True,
            ).stdout  # fmt: skip
            for line in out.splitlines():
                if "posters:" in line:
                    print(f"  round {round_ + 1}, {side:16s}{line.strip()}", flush=True)


class Poster:
    """One browser: its cookies, the page's CSRF token, a keep-alive connection."""

    def __init__(self, port: int, path: str) -> None:
        self.port, self.path = port, path
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.cookies: dict[str, str] = {}
        status, html = self.request("GET", path)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        assert status == 200 and csrf, "the article page has no post form"
        self.csrf = csrf.group(1)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        text = response.read().decode()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]
        return response.status, text


def tree_cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and every process below it, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    children: dict[int, list[int]] = {}
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            raw = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = raw.rsplit(")", 1)[1].split()
        stats[int(entry)] = fields
        children.setdefault(int(fields[1]), []).append(int(entry))
    total, todo = 0.0, [pid]
    while todo:
        current = todo.pop()
        if current in stats:
            fields = stats[current]
            total += (int(fields[11]) + int(fields[12])) / ticks
        todo.extend(children.get(current, []))
    return total


def drive(port: int, posters: int, posts: int, server_pid: int) -> None:
    from knowhow.articles.models import Article
    from knowhow.discussion.forms import issue_token

    articles = list(Article.objects.published().values_list("pk", "slug"))
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    each = posts // posters
    browsers = [
        Poster(port, f"/articles/{articles[i % len(articles)][1]}/") for i in range(posters)
    ]

    def post(index: int, n: int) -> None:
        browser = browsers[index]
        pk, slug = articles[index % len(articles)]
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": browser.csrf,
                # The token the page would have issued when shown, half a minute ago.
                "issued": issue_token(pk, time.time() - 30),
                "body": text_of(100_000 * (posters + index) + n),
                "as": "anonymous",
            }
        )
        started = time.perf_counter()
        status, _ = browser.request("POST", f"/articles/{slug}/posts/", body)
        spent = (time.perf_counter() - started) * 1000
        with lock:
            if status == 302:
                latencies.append(spent)
            else:
                failures.append(str(status))

    def run(index: int, count: int) -> None:
        for n in range(count):
            post(index, n)

    warm = [threading.Thread(target=run, args=(i, 3)) for i in range(posters)]
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join()
    latencies.clear()
    cpu_before = tree_cpu_seconds(server_pid)
    started = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i, each)) for i in range(posters)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    cpu = tree_cpu_seconds(server_pid) - cpu_before
    done = len(latencies)
    per_post = cpu / max(1, done) * 1000
    print(
        f"  {posters:2d} posters: {done} posts in {elapsed:.1f} s = {done / elapsed:.0f} posts/s, "
        f"p50 {percentile(latencies, 0.5):.1f} ms, p99 {percentile(latencies, 0.99):.1f} ms, "
        f"server CPU {per_post:.2f} ms/post -> ceiling {1000 / per_post:.0f} posts/s per core"
        + (f", failures {sorted(set(failures))} x{len(failures)}" if failures else "")
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(env: dict[str, str], posts: int, workers: int = 1) -> None:
    port = free_port()
    server = subprocess.Popen(
        [KNOWHOW, "serve", "--port", str(port), "--workers", str(workers), "--no-worker"],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 180  # a loaded machine starts a server slowly
        while True:
            try:  # a page answered: a worker is up, not only the listening socket
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                conn.request("GET", "/")
                conn.getresponse().read()
                conn.close()
                break
            except OSError:
                if server.poll() is not None:
                    raise SystemExit("the server exited before answering") from None
                if time.monotonic() > deadline:
                    raise SystemExit("the server did not answer within 180 s") from None
                time.sleep(0.2)
        kind = "one worker" if workers == 1 else f"{workers} workers"
        print(f"through `knowhow serve` ({kind}, SQLite), anonymous posts:")
        for posters in (8, 32):
            drive(port, posters, posts, server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--posts", type=int, default=600, help="posts measured in-process")
    parser.add_argument("--profile", action="store_true", help="print where the time goes")
    parser.add_argument("--serve", action="store_true", help="also post through the server")
    parser.add_argument("--serve-posts", type=int, default=800, help="posts per server run")
    parser.add_argument(
        "--workers", type=int, default=1,
        help="server workers with --serve (1: the figures are per core)",
    )  # fmt: skip
    parser.add_argument("--against", metavar="REF", help="also measure this git commit's code")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of each with --against")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON only")
    args = parser.parse_args()
    if args.against:
        against(args.against, args.posts, args.rounds, args.serve_posts if args.serve else None)
        return
    env = set_up(Path(tempfile.mkdtemp(prefix="knowhow-post-cost-")))
    if args.json:
        print(json.dumps(in_process(args.posts, False, quiet=True)))
        return
    in_process(args.posts, args.profile)
    if args.serve:
        serve(env, args.serve_posts, args.workers)


if __name__ == "__main__":
    main()
