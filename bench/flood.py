"""A posting flood against the real server on 127.0.0.1, and what survived it.

50 clients, each from its own loopback address (127.0.0.10 to 127.0.0.59), send 2,000 posts
to the demo articles: 40 readers post at a person's pace (under the limit of 20 a minute),
10 spammers send link spam, repeated texts, blocked words, filled-in bot traps and forged
forms as fast as they can.
Afterwards the database is read and the script prints the counts and checks that

- every legitimate post is stored exactly once, published;
- no spam post is published: each is held for moderation or refused;
- every article's stored posts are numbered 1..N without gaps or repeats;
- the server answered no request with an error (5xx) and dropped no connection.

    .venv/bin/python bench/flood.py                      # SQLite, one app process
    .venv/bin/python bench/flood.py --postgres --workers 2   # PostgreSQL + Redis, two processes
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
READERS, SPAMMERS, POSTS_EACH = 40, 10, 40
PACE_SECONDS = 3.2  # a reader reads the page before posting: under 20 posts a minute
SPAM_TEXTS = [
    "Best prices https://pills.example/buy https://pills.example/more https://deals.example now",
    "Miracle cure for cramps!!! Visit www.cure-now.example and www.cure-now.example/order",
    "Make money fast with crypto signals, message me at https://signals.example/join",
    "Great article. Work from home, see https://jobs.example https://jobs.example/a https://jobs.example/b",
]
BLOCKED = [("word", "miracle cure"), ("domain", "pills.example"), ("word", "crypto signals")]


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    legit_sent: Counter[str] = field(default_factory=Counter)
    spam_outcomes: Counter[str] = field(default_factory=Counter)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)

    def status(self, code: int) -> None:
        with self.lock:
            self.statuses[code] += 1


class Browser:
    """One client: its own source address, cookies, and a keep-alive connection."""

    def __init__(self, port: int, source: str, tally: Tally) -> None:
        self.port, self.source, self.tally = port, source, tally
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, body: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        for attempt in range(5):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(
                    "127.0.0.1", self.port, timeout=60, source_address=(self.source, 0)
                )
            headers = {"Host": "127.0.0.1"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            data = None
            if body is not None:
                data = urllib.parse.urlencode(body)
                headers["Content-Type"] = "application/x-www-form-urlencoded"
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode()
            except (OSError, http.client.HTTPException) as exc:
                self.conn.close()
                self.conn = None
                with self.tally.lock:
                    self.tally.errors.append(f"{self.source} {method} {path}: {exc!r}")
                time.sleep(0.2 * (attempt + 1))
                continue
            for header, value in response.getheaders():
                if header.lower() == "set-cookie":
                    name, _, rest = value.partition("=")
                    self.cookies[name.strip()] = rest.split(";", 1)[0]
            self.tally.status(response.status)
            return response.status, dict(response.getheaders()), text
        raise RuntimeError(f"{self.source}: no answer after 5 tries for {method} {path}")

    def form(self, path: str) -> dict[str, str]:
        status, _, html = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path} answered {status}")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        issued = re.search(r'name="issued" value="([^"]*)"', html)
        assert csrf and issued, "the article page has no post form"
        return {"csrfmiddlewaretoken": csrf.group(1), "issued": issued.group(1)}


def reader(index: int, port: int, articles: list[str], tally: Tally) -> None:
    rng = random.Random(index)
    browser = Browser(port, f"127.0.0.{10 + index}", tally)
    for n in range(POSTS_EACH):
        slug = rng.choice(articles)
        page = f"/articles/{slug}/"
        text = (
            f"Reader {index} here, note {n}: "
            + rng.choice(["stretching helped me", "I drink more water now", "my doctor agreed",
                          "this matches what I read", "thanks for the clear explanation"])
            + f" ({rng.randint(1000, 9999)})."
        )  # fmt: skip
        while True:
            fields = browser.form(page)
            time.sleep(PACE_SECONDS * rng.uniform(0.9, 1.1))
            status, headers, _ = browser.request(
                "POST", page + "posts/", {**fields, "body": text, "as": "anonymous"}
            )
            if status == 429:  # a person waits as told, then sends the same text again
                time.sleep(float(headers.get("Retry-After", "5")))
                continue
            break
        with tally.lock:
            tally.legit_sent[text] += 1
        if status != 302:
            with tally.lock:
                tally.errors.append(f"reader {index} post {n}: answered {status}")


def spammer(index: int, port: int, articles: list[str], tally: Tally) -> None:
    rng = random.Random(1000 + index)
    browser = Browser(port, f"127.0.0.{10 + READERS + index}", tally)
    forms: dict[str, dict[str, str]] = {}
    for n in range(POSTS_EACH):
        slug = rng.choice(articles)
        if slug not in forms:  # a bot reads each form once, then posts as fast as it can
            forms[slug] = browser.form(f"/articles/{slug}/")
        body = {**forms[slug], "body": rng.choice(SPAM_TEXTS), "as": "anonymous"}
        trick = n % 5
        if trick == 1:
            body["website"] = "https://spam.example"
        elif trick == 2:
            body["issued"] = "forged"
        status, _, _ = browser.request("POST", f"/articles/{slug}/posts/", body)
        kind = {
            302: "accepted (held or repeat)",
            400: "refused (form)",
            403: "refused (ban)",
            429: "refused (rate limit)",
        }
        with tally.lock:
            tally.spam_outcomes[kind.get(status, f"answered {status}")] += 1


def wait_for_server(port: int, server: subprocess.Popen[bytes]) -> None:
    for _ in range(300):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            if server.poll() is not None:
                raise SystemExit("the server exited before answering") from None
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres", action="store_true", help="PostgreSQL on 127.0.0.1:5432 and Redis"
    )
    parser.add_argument("--workers", type=int, default=1, help="app server processes")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="knowhow-flood-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    env.update(
        KNOWHOW_VAR_DIR=str(work / "var"),
        KNOWHOW_SECRET_KEY="flood-bench-key",
        KNOWHOW_POST_RATE_ANONYMOUS="20/1m,2000/1d",
        KNOWHOW_MIN_SUBMIT_SECONDS="1",
        KNOWHOW_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    if args.postgres:
        import psycopg

        with psycopg.connect(
            "postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True
        ) as db:
            db.execute("DROP DATABASE IF EXISTS knowhow_flood")
            db.execute("CREATE DATABASE knowhow_flood")
        env["KNOWHOW_DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/knowhow_flood"
        env["KNOWHOW_CACHE_URL"] = "redis://127.0.0.1:6379/13"
        import redis

        redis.Redis.from_url(env["KNOWHOW_CACHE_URL"]).flushdb()
    knowhow = str(BIN / "knowhow")
    subprocess.run([knowhow, "migrate", "-v0"], env=env, check=True)
    subprocess.run([knowhow, "demo"], env=env, check=True, stdout=subprocess.DEVNULL)

    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "knowhow.settings"
    import django

    django.setup()
    from knowhow.antiabuse.models import BlockedTerm
    from knowhow.articles.models import Article
    from knowhow.discussion.models import Post

    for kind, value in BLOCKED:
        BlockedTerm.objects.get_or_create(kind=kind, value=value)
    articles = list(Article.objects.published().values_list("slug", flat=True))
    before = Post.objects.count()

    port = free_port()
    server = subprocess.Popen(
        [knowhow, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    tally = Tally()
    try:
        wait_for_server(port, server)
        started = time.monotonic()
        threads = [
            threading.Thread(target=reader, args=(i, port, articles, tally)) for i in range(READERS)
        ]
        threads += [
            threading.Thread(target=spammer, args=(i, port, articles, tally))
            for i in range(SPAMMERS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.terminate()
        server.wait(timeout=30)

    stored = Counter(Post.objects.filter(body__startswith="Reader ").values_list("body", flat=True))
    published = set(
        Post.objects.filter(body__startswith="Reader ", status="published").values_list(
            "body", flat=True
        )
    )
    legit_once = sum(1 for text in tally.legit_sent if stored[text] == 1 and text in published)
    spam_rows = (
        Post.objects.exclude(body__startswith="Reader ")
        .filter(pk__gt=0)
        .filter(body__in=[text.strip() for text in SPAM_TEXTS])
    )
    spam_status = Counter(spam_rows.values_list("status", flat=True))
    gaps = []
    for article in Article.objects.all():
        numbers = sorted(Post.objects.filter(article=article).values_list("number", flat=True))
        if numbers != list(range(1, len(numbers) + 1)) or (
            numbers and numbers[-1] != article.last_post_number
        ):
            gaps.append(article.slug)
    server_errors = sum(n for code, n in tally.statuses.items() if code >= 500)

    store = "PostgreSQL + Redis" if args.postgres else "SQLite + local memory"
    sent = len(tally.legit_sent) + sum(tally.spam_outcomes.values())
    print(f"database: {store}, {args.workers} app process(es)")
    print(f"{sent} posts sent by {READERS + SPAMMERS} clients in {elapsed:.1f} s")
    print(f"legitimate posts sent:            {len(tally.legit_sent)}")
    print(f"  stored exactly once, published: {legit_once}")
    print(f"spam posts sent:                  {sum(tally.spam_outcomes.values())}")
    for outcome, count in sorted(tally.spam_outcomes.items()):
        print(f"  {outcome:32s}{count}")
    print(f"  spam rows stored, by status:    {dict(spam_status)}")
    print(f"posts stored during the flood:    {Post.objects.count() - before}")
    print(f"articles with gaps or repeats:    {len(gaps)} {gaps}")
    print(f"HTTP answers:                     {dict(sorted(tally.statuses.items()))}")
    print(f"server errors (5xx):              {server_errors}")
    print(f"failed requests:                  {len(tally.errors)}")
    for error in tally.errors[:5]:
        print(f"  {error}")
    ok = (
        legit_once == len(tally.legit_sent) == READERS * POSTS_EACH
        and spam_status.get("published", 0) == 0
        and not gaps
        and server_errors == 0
        and not tally.errors
    )
    print("RESULT:", "PASS" if ok else "FAIL")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
