"""The real server killed with SIGKILL in the middle of a posting flood, and what survived.

Sets up a throwaway site with one article, starts `knowhow serve` (two worker processes)
on 127.0.0.1, and lets several clients post to the article as fast as they can, each post
from a fresh form (the page's CSRF token and a form token of its own). Once enough posts
have been answered it kills the server's whole process group with SIGKILL, the way a
crash or the OOM killer would, starts the server again and checks that

- every post whose answer arrived (a redirect naming "Post N") is stored, published, with
  that number, and shown on the article's pages;
- the article's posts are numbered 1..N with no gap and no repeat, and its counter is N;
- posting works again after the restart, and takes the next number.

Prints the counts and exits non-zero on any loss, gap, repeat or failure to post again.

    .venv/bin/python bench/kill_flood.py                         # SQLite under a temp dir
    .venv/bin/python bench/kill_flood.py --database-url postgres://postgres@127.0.0.1:5432/knowhow_kill
        # PostgreSQL: that database is dropped and made anew
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
KNOWHOW = str(BIN / "knowhow")
SLUG = "what-happens-in-a-crash"

# Runs in `knowhow shell -c`: the one article the clients post to.
SETUP = f"""
import datetime as dt
from django.utils import timezone
from knowhow.articles.models import Article, Person, Topic
topic = Topic.objects.create(name="Faults", slug="faults")
person = Person.objects.create(name="Cass Crash", slug="cass-crash")
Article.objects.create(
    title="What Happens in a Crash?", slug={SLUG!r}, topic=topic, written_by=person,
    edited_by=person, copyright_holder="Knowhow", body="Nothing is lost.\\n\\nNothing at all.",
    status=Article.Status.PUBLISHED, published_at=timezone.now() - dt.timedelta(days=1),
    last_modified=dt.date(2024, 1, 1),
)
"""

# Runs in `knowhow shell -c` after the restart: what the database holds.
READ_BACK = f"""
import json
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
article = Article.objects.get(slug={SLUG!r})
posts = list(Post.objects.filter(article=article).values_list("number", "body", "status"))
print(json.dumps({{"counter": article.last_post_number, "posts": posts}}))
"""


@dataclass
class Flood:
    """What the clients sent and what the server answered, shared by their threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    sent: list[str] = field(default_factory=list)
    answered: dict[str, int] = field(default_factory=dict)  # text -> the number named
    refused: dict[str, int] = field(default_factory=dict)  # text -> status
    unanswered: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)


@dataclass
class Counts:
    sent: int
    answered: int
    stored: int
    lost: int
    wrong_number: int
    not_on_page: int
    gaps: int
    repeats: int
    counter_off: bool
    unanswered: int
    unanswered_stored: int
    refused: int
    posted_after_restart: bool

    @property
    def ok(self) -> bool:
        return (
            self.answered > 0
            and self.lost == self.wrong_number == self.not_on_page == 0
            and self.gaps == self.repeats == 0
            and not self.counter_off
            and self.refused == 0
            and self.posted_after_restart
        )

    def report(self) -> str:
        return "\n".join(
            [
                f"posts sent:                      {self.sent}",
                f"answered (redirect to Post N):   {self.answered}",
                f"refused by the site:             {self.refused}",
                f"no answer (in flight at kill):   {self.unanswered}"
                f" (of which stored: {self.unanswered_stored})",
                f"posts stored after restart:      {self.stored}",
                f"answered but lost:               {self.lost}",
                f"answered with another number:    {self.wrong_number}",
                f"answered but not on the page:    {self.not_on_page}",
                f"gaps in numbering:               {self.gaps}",
                f"repeated numbers:                {self.repeats}",
                f"counter differs from last post:  {self.counter_off}",
                f"posting works after restart:     {self.posted_after_restart}",
                f"RESULT: {'PASS' if self.ok else 'FAIL'}",
            ]
        )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Client:
    """One browser: its cookies and a keep-alive connection."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(
        self, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, dict[str, str], str]:
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            self.conn.request(method, path, body=body, headers=headers)
            response = self.conn.getresponse()
            text = response.read().decode()
        except BaseException:
            self.conn.close()
            self.conn = None
            raise
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return response.status, {k.lower(): v for k, v in response.getheaders()}, text

    def fresh_form(self) -> dict[str, str]:
        status, _, html = self.request("GET", f"/articles/{SLUG}/")
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        issued = re.search(r'name="issued" value="([^"]*)"', html)
        if status != 200 or not (csrf and issued):
            raise RuntimeError(f"the article page answered {status} without a post form")
        return {"csrfmiddlewaretoken": csrf.group(1), "issued": issued.group(1)}

    def post(self, text: str) -> tuple[int, int | None]:
        """Send one post from a fresh form: the status, and the number the answer names."""
        form = {**self.fresh_form(), "body": text, "as": "anonymous"}
        status, headers, _ = self.request("POST", f"/articles/{SLUG}/posts/", form)
        named = re.search(r"#post-(\d+)$", headers.get("location", ""))
        return status, int(named.group(1)) if named else None


def client_loop(index: int, port: int, flood: Flood, limit: int) -> None:
    client = Client(port)
    run = uuid.uuid4().hex[:6]
    for n in range(limit):
        if flood.stop.is_set():
            return
        text = f"Flood {run} client {index} post {n}: stretching helped me."
        with flood.lock:
            flood.sent.append(text)
        try:
            status, number = client.post(text)
        except (OSError, http.client.HTTPException, RuntimeError):
            # The server died under this request (or before its form came): no answer.
            with flood.lock:
                flood.unanswered.append(text)
            return
        with flood.lock:
            if 300 <= status < 400 and number is not None:
                flood.answered[text] = number
            else:
                flood.refused[text] = status


def knowhow(args: list[str], env: dict[str, str]) -> str:
    done = subprocess.run([KNOWHOW, *args], env=env, capture_output=True, text=True, timeout=600)
    if done.returncode != 0:
        raise SystemExit(f"knowhow {' '.join(args[:2])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def start_server(
    env: dict[str, str], log: Path, workers: int
) -> tuple[int, subprocess.Popen[bytes]]:
    port = free_port()
    with log.open("ab") as out:
        server = subprocess.Popen(
            [KNOWHOW, "serve", "--host", "127.0.0.1", "--port", str(port), "--workers",
             str(workers), "--threads", "4", "--no-worker", "--no-collectstatic"],
            env=env, stdout=out, stderr=subprocess.STDOUT, process_group=0,
        )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            status, _, _ = Client(port).request("GET", "/healthz")
            if status == 200:
                return port, server
        except OSError:
            pass
        if server.poll() is not None:
            raise SystemExit(f"the server exited:\n{log.read_text()[-2000:]}")
        time.sleep(0.1)
    raise SystemExit("the server did not answer within 60 s")


def kill_group(server: subprocess.Popen[bytes]) -> None:
    """SIGKILL to the server and every process it started: no chance to finish anything."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)


def fresh_postgres(url: str) -> None:
    """Drop and make the database the URL names, on its server."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        raise SystemExit(f"--database-url must name a database of letters, digits and _: {name!r}")
    admin = urllib.parse.urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as db:
        db.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        db.execute(f"CREATE DATABASE {name}")


def page_texts(port: int) -> str:
    """The visible discussion over every page of the article, as one text: the newest page,
    then each "Older posts" page it leads to."""
    client, texts, place = Client(port), [], ""
    for _ in range(1000):
        status, _, html = client.request("GET", f"/articles/{SLUG}/{place}")
        if status != 200:
            raise RuntimeError(f"the article's page {place or '(newest)'} answered {status}")
        texts.append(html)
        older = re.search(r'href="\?before=(\d+)#discuss"', html)
        if older is None:
            break
        place = f"?before={older.group(1)}"
    return "\n".join(texts)


def run(
    work: Path,
    database_url: str = "",
    cache_url: str = "",
    clients: int = 8,
    posts: int = 400,
    kill_after: int = 150,
    workers: int = 2,
    say: bool = True,
) -> Counts:
    """The whole experiment in `work`; the counts of what survived."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(
        KNOWHOW_VAR_DIR=str(work / "var"),
        KNOWHOW_SECRET_KEY="kill-flood-bench-key",
        KNOWHOW_POST_RATE_ANONYMOUS="1000000/1m",
        KNOWHOW_POST_RATE_ACCOUNT="1000000/1m",
        KNOWHOW_MIN_SUBMIT_SECONDS="0",
        KNOWHOW_SPAM_THRESHOLD="1000",
        KNOWHOW_TASKS_BACKEND="django_tasks.backends.immediate.ImmediateBackend",
    )
    if database_url:
        fresh_postgres(database_url)
        env["KNOWHOW_DATABASE_URL"] = database_url
    if cache_url:
        env["KNOWHOW_CACHE_URL"] = cache_url
    knowhow(["migrate", "--noinput", "-v0"], env)
    knowhow(["collectstatic", "--noinput", "-v0"], env)
    knowhow(["shell", "-c", SETUP], env)
    log = work / "server.log"

    port, server = start_server(env, log, workers)
    flood = Flood()
    each = max(1, posts // clients)
    threads = [
        threading.Thread(target=client_loop, args=(i, port, flood, each)) for i in range(clients)
    ]
    try:
        for thread in threads:
            thread.start()
        while len(flood.answered) < kill_after and any(t.is_alive() for t in threads):
            time.sleep(0.005)
        kill_group(server)
        flood.stop.set()
        for thread in threads:
            thread.join(timeout=60)
        if say:
            print(f"killed the server after {len(flood.answered)} answered posts", flush=True)
        port, server = start_server(env, log, workers)
        try:
            stored_rows = json.loads(
                knowhow(["shell", "-c", READ_BACK], env).strip().splitlines()[-1]
            )
            shown = page_texts(port)
            text = f"After the restart: posting works again {uuid.uuid4().hex[:6]}."
            status, number = Client(port).post(text)
        finally:
            server.terminate()
            server.wait(timeout=30)
    finally:
        if server.poll() is None:
            kill_group(server)

    posts_stored = stored_rows["posts"]
    by_text = {body: (number, state) for number, body, state in posts_stored}
    numbers = sorted(number for number, _, _ in posts_stored)
    highest = numbers[-1] if numbers else 0
    repeats = len(numbers) - len(set(numbers))
    gaps = len(set(range(1, highest + 1)) - set(numbers))
    lost = [t for t in flood.answered if by_text.get(t, (0, ""))[1] != "published"]
    wrong = [t for t, n in flood.answered.items() if t in by_text and by_text[t][0] != n]
    missing = [t for t in flood.answered if t not in shown]
    after_ok = 300 <= status < 400 and number == highest + 1
    return Counts(
        sent=len(flood.sent),
        answered=len(flood.answered),
        stored=len(posts_stored),
        lost=len(lost),
        wrong_number=len(wrong),
        not_on_page=len(missing),
        gaps=gaps,
        repeats=repeats,
        counter_off=stored_rows["counter"] != highest,
        unanswered=len(flood.unanswered),
        unanswered_stored=sum(1 for t in flood.unanswered if t in by_text),
        refused=len(flood.refused),
        posted_after_restart=after_ok,
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default="", help="postgres://... (dropped, made anew)")
    parser.add_argument("--cache-url", default="", help="redis://... for the server's cache")
    parser.add_argument("--clients", type=int, default=8, help="posting clients (8)")
    parser.add_argument("--posts", type=int, default=400, help="posts to send at most (400)")
    parser.add_argument(
        "--kill-after", type=int, default=150, help="answered posts before the kill (150)"
    )
    parser.add_argument("--workers", type=int, default=2, help="server processes (2)")
    args = parser.parse_args()
    if not 1 <= args.kill_after < args.posts:
        parser.error("--kill-after must be at least 1 and below --posts")
    work = Path(tempfile.mkdtemp(prefix="knowhow-kill-flood-"))
    store = "PostgreSQL" if args.database_url else "SQLite"
    print(f"{store}, {args.workers} server processes, {args.clients} clients; work in {work}")
    counts = run(
        work,
        database_url=args.database_url,
        cache_url=args.cache_url,
        clients=args.clients,
        posts=args.posts,
        kill_after=args.kill_after,
        workers=args.workers,
    )
    print(counts.report())
    sys.exit(0 if counts.ok else 1)


if __name__ == "__main__":
    main()
