"""How fast the real server answers, next to nginx serving a static copy of the same page.

Sets up a throwaway site (SQLite, the demo content, 50 more posts on one article, a reader
account), starts `knowhow serve` (granian, two workers) and nginx on 127.0.0.1, and loads
each with wrk for a bounded time:

    a. nginx serving a static copy of the anonymous article page (the baseline)
    k. a bare WSGI callable under granian (as many workers and threads as knowhow)
       answering the very bytes and headers of that page: the most any Python app gets
       from granian's WSGI bridge here, knowhow's ceiling
    l. the same through granian's own interface (RSGI), for comparison
    b. the article page, anonymous
    c. the article page with its 50 posts, as a signed-in reader
    i. the same article page as a moderator (every post with its controls)
    j. the moderation queue (20 held posts, 10 reported), as that moderator
       (i and j with --moderator-connections, 16 by default)
    d. the home page, anonymous
    e. anonymous posting to another article (each request a different text)
    g. the article's posts as JSON from the API (/api/v1/articles/SLUG/posts/?limit=50),
       anonymous: kept by the page cache like a page; beside
    h. nginx serving a static copy of the same JSON bytes

Prints requests/s, median and 99th percentile latency, errors and the ratio to the nginx
baseline of the same run, the anonymous article page as a share of the bare WSGI ceiling,
the signed-in and moderator cases as ratios to the anonymous
article page of the same run, then the resident memory of the server's processes. Needs
wrk and nginx (apt-get install wrk nginx-light); installs nothing.

By default the site is SQLite in a temporary folder and the page cache's stamps are files.
--database-url (an empty PostgreSQL database: it is migrated and filled) and --cache-url
(a Redis database of its own: emptied first) run the same site on PostgreSQL and Redis.

    .venv/bin/python bench/serve.py [--duration 10] [--connections 32] [--threads 2]
    .venv/bin/python bench/serve.py --database-url postgres://USER@HOST/EMPTY-DB \\
        --cache-url redis://HOST:6379/DB
    .venv/bin/python bench/serve.py --url http://127.0.0.1:8000 --article SLUG \\
        --post-article OTHER-SLUG [--reader NAME:PASSWORD]    # a server already running
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

BIN = Path(sys.executable).parent
KNOWHOW = BIN / "knowhow"
POSTS = 50
READER, READER_PASSWORD = "bench-reader", "bench-reader-password-7f3k"
MODERATOR, MODERATOR_PASSWORD = "bench-moderator", "bench-moderator-password-2q9v"
HELD, REPORTED = 20, 10
WARM_UP_SECONDS = 2
SERVER_ENV = {
    "KNOWHOW_POST_RATE_ANONYMOUS": "1000000/1m",
    "KNOWHOW_POST_RATE_ACCOUNT": "1000000/1m",
    "KNOWHOW_MIN_SUBMIT_SECONDS": "0",
    "KNOWHOW_SECRET_KEY": "serve-bench-only-key",
}

# Runs inside `knowhow shell -c`: picks two published articles, adds the posts to the
# first, creates the reader, and prints what it chose as the last line of JSON.
SETUP = f"""
import datetime as dt, json
from django.contrib.auth import get_user_model
from django.utils import timezone
from knowhow.articles.models import Article
from knowhow.discussion.services import import_post

articles = list(Article.objects.published().order_by("pk")[:2])
reader = get_user_model().objects.create_user({READER!r}, password={READER_PASSWORD!r})
now = timezone.now()
for n in range({POSTS}):
    import_post(
        article=articles[0],
        body=(
            f"Bench post {{n + 1}}. This happened to me too, *twice* last winter.\\n\\n"
            "Stretching before bed helped, and so did drinking more water during the day."
        ),
        author=reader if n % 2 else None,
        created_at=now - dt.timedelta(hours={POSTS} - n),
    )
# A moderator (staff holding "Can moderate the discussion", as the docs set one up) with a
# queue to read: posts held on several articles, and published posts readers reported.
from django.contrib.auth.models import Permission
from knowhow.discussion.models import Post
from knowhow.moderation.models import Flag
moderator = get_user_model().objects.create_user(
    {MODERATOR!r}, password={MODERATOR_PASSWORD!r}, is_staff=True
)
moderator.user_permissions.add(Permission.objects.get(codename="moderate_post"))
queued = list(Article.objects.published().order_by("pk")[2:8])
for n in range({HELD}):
    import_post(
        article=queued[n % len(queued)],
        body=f"Held bench post {{n + 1}}: buy cheap watches at example dot com, *now*.",
        author=reader if n % 3 else None,
        created_at=now - dt.timedelta(minutes=5 * n + 1),
        status=Post.Status.HELD,
    )
for n in range({REPORTED}):
    post = import_post(
        article=queued[n % len(queued)],
        body=f"Reported bench post {{n + 1}}. Vinegar cures everything, trust me.",
        author=reader if n % 2 else None,
        created_at=now - dt.timedelta(minutes=7 * n + 2),
    )
    Flag.objects.create(
        post=post, reporter=reader, reason=Flag.Reason.HARMFUL, created_at=now,
        note="This could hurt someone.",
    )
print(json.dumps({{"article": articles[0].slug, "post_article": articles[1].slug}}))
"""

# Runs inside `knowhow shell -c` first with --cache-url: a Redis left from a run before
# holds another site's stamps.
EMPTY_CACHE = """
from django.core.cache import cache
cache.clear()
"""

# Runs inside `knowhow shell -c` after the run: what the posting case stored.
COUNT_POSTS = """
import json
from collections import Counter
from knowhow.discussion.models import Post
posts = Post.objects.filter(body__startswith="{prefix}")
statuses = Counter(posts.values_list("status", flat=True))
print(json.dumps(dict(statuses)))
"""

# wrk script for posting: one CSRF cookie for every request, a form token of its own for
# each (a form makes one post), a different text each time (thread number and counter), and
# a count of answers by status.
POST_LUA = """
local threads, next_id = {{}}, 1
function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

local counter = 0
local offset = 0
function init(args)
  run = args[1] or "run"  -- the warm-up and the measured run send different texts
  if run ~= "warm-up" then offset = {half} end  -- and use different tokens
end

statuses = {{}}  -- global: done() reads it from each thread
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = {cookie}
local fields = {fields}
local tokens = {{{tokens}}}

function request()
  counter = counter + 1
  local index = offset + (counter - 1) * {threads} + id
  local token = tokens[(index - 1) % #tokens + 1]
  local text = {prefix} .. "+" .. run .. "+" .. id .. "-" .. counter .. "+stretching+helped+me+too."
  return wrk.format(nil, {path}, nil, fields .. "&issued=" .. token .. "&body=" .. text)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {{}}
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + n
    end
  end
  for status, n in pairs(total) do
    io.write(string.format("status %d: %d\\n", status, n))
  end
end
"""

# What every nginx the benches start shares: the rest of its http block follows.
NGINX_HEAD = """
worker_processes 2;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  default_type text/html;
  client_body_temp_path {work}/nginx-tmp/body;
  proxy_temp_path {work}/nginx-tmp/proxy;
  fastcgi_temp_path {work}/nginx-tmp/fastcgi;
  uwsgi_temp_path {work}/nginx-tmp/uwsgi;
  scgi_temp_path {work}/nginx-tmp/scgi;
"""

NGINX_CONF = (
    NGINX_HEAD
    + """  server {{
    listen 127.0.0.1:{port};
    root {www};
    location = /posts.json {{ default_type application/json; }}
    location / {{ try_files /index.html =404; }}
  }}
}}
"""
)


@dataclass
class Result:
    name: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    detail: str = ""
    statuses: dict[int, int] = field(default_factory=dict)
    warm_up: Result | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes] | None, log: Path | None) -> None:
    # A machine busy with other work can take minutes to start a server.
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
            return
        except OSError:
            if process is not None and process.poll() is not None:
                tail = log.read_text(errors="replace")[-2000:] if log and log.exists() else ""
                raise SystemExit(f"exited before answering {url}:\n{tail}") from None
            time.sleep(0.2)
    raise SystemExit(f"no answer from {url} within 180 s")


def knowhow(args: list[str], env: dict[str, str], timeout: int = 300) -> str:
    done = subprocess.run(
        [str(KNOWHOW), *args], env=env, capture_output=True, text=True, timeout=timeout
    )
    if done.returncode != 0:
        raise SystemExit(f"knowhow {args[0]} failed:\n{done.stdout}{done.stderr}")
    return done.stdout


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def wrk(
    name: str,
    url: str,
    args: argparse.Namespace,
    seconds: int,
    headers: tuple[str, ...] = (),
    script: Path | None = None,
    label: str = "run",
) -> Result:
    cmd = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds}s", "--latency"]
    cmd += ["--timeout", "10s"]
    for header in headers:
        cmd += ["-H", header]
    if script is not None:
        cmd += ["-s", str(script), url, "--", label]
    else:
        cmd.append(url)
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=seconds + 60, check=False)
    out = done.stdout
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.MULTILINE)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.MULTILINE)
    if done.returncode != 0 or not (rps and p50 and p99):
        raise SystemExit(f"wrk failed for {name} ({url}):\n{out}{done.stderr}")
    errors = 0
    non_ok = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if non_ok:
        errors += int(non_ok.group(1))
    socket_errors = re.search(r"Socket errors: (.*)", out)
    if socket_errors:
        errors += sum(int(n) for n in re.findall(r"\d+", socket_errors.group(1)))
    detail = ", ".join(
        line.strip()
        for line in out.splitlines()
        if re.match(r"(status \d+|\s*Socket errors)", line)
    )
    statuses = {int(code): int(n) for code, n in re.findall(r"^status (\d+): (\d+)", out, re.M)}
    return Result(
        name,
        float(rps.group(1)),
        to_ms(p50.group(1)),
        to_ms(p99.group(1)),
        errors,
        detail,
        statuses,
    )


def measure(
    name: str,
    url: str,
    args: argparse.Namespace,
    headers: tuple[str, ...] = (),
    script: Path | None = None,
) -> Result:
    print(f"  {name} ...", flush=True)
    warm_up = wrk(name, url, args, WARM_UP_SECONDS, headers, script, label="warm-up")
    result = wrk(name, url, args, args.duration, headers, script)
    result.warm_up = warm_up
    return result


def fetch_answer(url: str) -> dict[str, object]:
    """An anonymous answer as bench/bare_page.py replays it: status, headers, body. The
    headers granian adds itself (Date, Server) are left out, so it adds them to both."""
    with urllib.request.urlopen(url, timeout=30) as response:
        body = bytes(response.read())
        headers = [
            [name, value]
            for name, value in response.getheaders()
            if name.lower() not in ("date", "server", "transfer-encoding", "connection")
        ]
        status = f"{response.status} {response.reason}"
    return {"status": status, "headers": headers, "body": base64.b64encode(body).decode()}


def fetch(url: str, opener: urllib.request.OpenerDirector | None = None) -> bytes:
    opener = opener or urllib.request.build_opener()
    with opener.open(url, timeout=30) as response:
        return bytes(response.read())


def form_fields(html: str, names: tuple[str, ...]) -> dict[str, str]:
    """The values of hidden form fields, by name, from a page's HTML."""
    fields = {}
    for name in names:
        found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', html) or re.search(
            rf'<input[^>]*value="([^"]*)"[^>]*name="{name}"', html
        )
        if not found:
            raise SystemExit(f"no {name} field in the page's form")
        fields[name] = found.group(1)
    return fields


def sign_in(base: str, user: str, password: str) -> str:
    """Sign in with a real form POST; the Cookie header a signed-in browser would send."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = fetch(f"{base}/accounts/login/", opener).decode()
    token = form_fields(html, ("csrfmiddlewaretoken",))["csrfmiddlewaretoken"]
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": user, "password": password, "next": "/"}
    ).encode()
    with opener.open(f"{base}/accounts/login/", data=data, timeout=30) as response:
        response.read()
    if "sessionid" not in {cookie.name for cookie in jar}:
        raise SystemExit(f"signing in as {user} failed: no sessionid cookie")
    # Only what a browser sends to the site's pages: the device cookie the sign-in sets is
    # for the account pages alone (Path=/accounts/).
    page = urllib.request.Request(f"{base}/")
    jar.add_cookie_header(page)
    return str(page.get_header("Cookie"))


def check_signed_in(url: str, cookie: str, user: str) -> None:
    """The page the signed-in case loads really is the reader's view."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        if f"Post as {user}" not in response.read().decode():
            raise SystemExit(f"{url} does not show {user} as signed in")


def check_moderator(url: str, cookie: str) -> None:
    """The moderator's cases really get a moderator's pages."""
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        if 'class="mod-controls"' not in response.read().decode():
            raise SystemExit(f"{url} shows no moderator's controls")


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def posting_script(
    base: str, slug: str, prefix: str, work: Path, tokens: list[str], threads: int
) -> Path:
    """A wrk script that posts anonymously with the CSRF field of one page view and a form
    token of its own for each post (tokens: as many as the site's `issue_token` gave)."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    html = fetch(f"{base}/articles/{slug}/", opener).decode()
    fields = form_fields(html, ("csrfmiddlewaretoken",))
    csrf = next((cookie.value for cookie in jar if cookie.name == "csrftoken"), None)
    if csrf is None:
        raise SystemExit("the article page set no csrftoken cookie")
    script = work / "post.lua"
    script.write_text(
        POST_LUA.format(
            cookie=lua_string(f"csrftoken={csrf}"),
            fields=lua_string(urllib.parse.urlencode(fields)),
            tokens=",".join(lua_string(urllib.parse.quote(t, safe="")) for t in tokens),
            half=len(tokens) // 2,
            threads=threads,
            prefix=lua_string(urllib.parse.quote_plus(prefix)),
            path=lua_string(f"/articles/{slug}/posts/"),
        )
    )
    return script


# Run in `knowhow shell` of the served site: form tokens for posting, one per post.
TOKENS = """
import json
from knowhow.articles.models import Article
from knowhow.discussion.forms import issue_token
article = Article.objects.get(slug={slug!r})
print(json.dumps([issue_token(article.pk) for _ in range({count})]))
"""


def descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return sorted(found)


def rss_kib(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    found = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
    return int(found.group(1)) if found else 0


def command_line(pid: int) -> str:
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return "?"
    return raw.replace(b"\0", b" ").decode(errors="replace").strip()


def print_memory(server_pid: int) -> None:
    print(f"\nresident memory (VmRSS) of the server, pid {server_pid}, and its descendants:")
    print(f"  {server_pid:>7}  {rss_kib(server_pid) / 1024:7.1f} MiB  knowhow serve (main)")
    workers = 0
    for pid in descendants(server_pid):
        rss = rss_kib(pid)
        cmdline = command_line(pid)
        is_worker = "resource_tracker" not in cmdline
        workers += rss if is_worker else 0
        kind = "worker" if is_worker else "other"
        print(f"  {pid:>7}  {rss / 1024:7.1f} MiB  {kind}: {cmdline[:70]}")
    print(f"  workers together: {workers / 1024:.1f} MiB")


def stop(process: subprocess.Popen[bytes] | None, group: bool = False) -> None:
    if process is None:
        return
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    if group:  # anything the server left behind in its own process group
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)


def loopback_only(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "http" or parts.hostname != "127.0.0.1":
        raise SystemExit(f"--url must be http://127.0.0.1:PORT, not {url}")
    return f"http://127.0.0.1:{parts.port or 80}"


def start_server(
    cmd: list[str], env: dict[str, str], log: Path
) -> tuple[str, subprocess.Popen[bytes]]:
    """Start a server on a free loopback port ("{port}" in cmd) and wait until it answers."""
    port = free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(  # noqa: S603 - our own commands
            [part.replace("{port}", str(port)) for part in cmd],
            env=env, stdout=out, stderr=subprocess.STDOUT, process_group=0,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/", server, log)
    return base, server


def start_knowhow(
    work: Path, env: dict[str, str], threads: int
) -> tuple[str, subprocess.Popen[bytes]]:
    cmd = [str(KNOWHOW), "serve", "--host", "127.0.0.1", "--port", "{port}",
           "--workers", "2", "--threads", str(threads), "--no-worker"]  # fmt: skip
    return start_server(cmd, env, work / "server.log")


def start_baseline(work: Path, env: dict[str, str]) -> tuple[str, subprocess.Popen[bytes]]:
    """The bare Django view of bench/baseline_app.py (an article and three comments from
    SQLite, no middleware) under granian with as many workers and threads as knowhow."""
    bench = Path(__file__).resolve().parent
    base_env = {**env, "BASELINE_DB": str(work / "baseline.sqlite3"), "PYTHONPATH": str(bench)}
    subprocess.run([sys.executable, str(bench / "baseline_app.py")], env=base_env, check=True)
    cmd = [str(BIN / "granian"), "--interface", "wsgi", "--workers", "2",
           "--blocking-threads", "4", "--port", "{port}", "baseline_app:application"]  # fmt: skip
    return start_server(cmd, base_env, work / "baseline.log")


def start_bare(
    work: Path, env: dict[str, str], answer: dict[str, object], threads: int, interface: str
) -> tuple[str, subprocess.Popen[bytes]]:
    """bench/bare_page.py under granian, with knowhow's workers and threads: the answer of
    the kept page and nothing else (interface "wsgi" or "rsgi")."""
    bench = Path(__file__).resolve().parent
    page = work / "bare-page.json"
    page.write_text(json.dumps(answer))
    bare_env = {**env, "BARE_PAGE": str(page), "PYTHONPATH": str(bench)}
    target = "bare_page:application" if interface == "wsgi" else "bare_page:rsgi"
    cmd = [str(BIN / "granian"), "--interface", interface, "--workers", "2",
           "--port", "{port}", "--no-access-log", target]  # fmt: skip
    if interface == "wsgi":  # RSGI's handlers run on the event loop, one thread
        cmd[-1:-1] = ["--blocking-threads", str(threads)]
    return start_server(cmd, bare_env, work / f"bare-{interface}.log")


def start_nginx(work: Path, page: bytes, posts_json: bytes) -> tuple[str, subprocess.Popen[bytes]]:
    www = work / "www"
    www.mkdir()
    (www / "index.html").write_bytes(page)
    (www / "posts.json").write_bytes(posts_json)
    (www / "posts.json").chmod(0o644)
    (work / "nginx-tmp").mkdir()
    # nginx's workers run as an unprivileged user when started by root: let them read.
    work.chmod(0o711)
    www.chmod(0o755)
    (www / "index.html").chmod(0o644)
    return run_nginx(work, NGINX_CONF, www)


def run_nginx(work: Path, conf_text: str, www: Path) -> tuple[str, subprocess.Popen[bytes]]:
    """nginx with the configuration (formatted with work, www and a free port), once it
    answers: its address and its process."""
    port = free_port()
    conf = work / "nginx.conf"
    conf.write_text(conf_text.format(work=work, www=www, port=port))
    log = work / "nginx-error.log"
    nginx = subprocess.Popen(
        ["nginx", "-p", str(work), "-c", str(conf), "-e", str(log)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    wait_for(f"{base}/", nginx, log)
    return base, nginx


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per case (10)")
    parser.add_argument("--connections", type=int, default=32, help="wrk connections (32)")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads (2)")
    parser.add_argument(
        "--server-threads", type=int, default=4, help="threads per knowhow worker (4)"
    )
    parser.add_argument(
        "--moderator-connections", type=int, default=16,
        help="wrk connections for the moderator's cases (16)",
    )  # fmt: skip
    parser.add_argument("--database-url", help="an empty PostgreSQL database for the site")
    parser.add_argument("--cache-url", help="a Redis database for the site (emptied first)")
    parser.add_argument("--url", help="measure a server already running at http://127.0.0.1:P")
    parser.add_argument("--article", help="with --url: the article to read")
    parser.add_argument("--post-article", help="with --url: the article to post to")
    parser.add_argument("--reader", help="with --url: NAME:PASSWORD for the signed-in case")
    parser.add_argument("--moderator", help="with --url: NAME:PASSWORD for the moderator's cases")
    args = parser.parse_args()
    if not 1 <= args.duration <= 300:
        parser.error("--duration is seconds, 1 to 300")
    if args.url and not (args.article and args.post_article):
        parser.error("--url needs --article and --post-article")
    if args.reader and ":" not in args.reader:
        parser.error("--reader is NAME:PASSWORD")
    if args.moderator and ":" not in args.moderator:
        parser.error("--moderator is NAME:PASSWORD")
    if args.url and (args.database_url or args.cache_url):
        parser.error("--database-url and --cache-url set up a site: not with --url")
    missing = [tool for tool in ("wrk", "nginx") if not shutil.which(tool)]
    if missing:
        raise SystemExit(
            f"{' and '.join(missing)} not found on PATH; install with: "
            "apt-get install wrk nginx-light (or nginx)"
        )
    if not args.url and not KNOWHOW.exists():
        raise SystemExit(f"{KNOWHOW} not found: run with .venv/bin/python after `make install`")

    work = Path(tempfile.mkdtemp(prefix="knowhow-serve-bench-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    env.update(SERVER_ENV, KNOWHOW_VAR_DIR=str(work / "var"))
    if args.database_url:
        env["KNOWHOW_DATABASE_URL"] = args.database_url
    if args.cache_url:
        env["KNOWHOW_CACHE_URL"] = args.cache_url
        knowhow(["shell", "-c", EMPTY_CACHE], env)
    server: subprocess.Popen[bytes] | None = None
    nginx: subprocess.Popen[bytes] | None = None
    bare: subprocess.Popen[bytes] | None = None
    prefix = f"Serve bench {uuid.uuid4().hex[:8]}"
    try:
        if args.url:
            base = loopback_only(args.url)
            article, post_article = args.article, args.post_article
            reader = tuple(args.reader.split(":", 1)) if args.reader else None
            moderator = tuple(args.moderator.split(":", 1)) if args.moderator else None
        else:
            print("setting up a throwaway site in", work, flush=True)
            knowhow(["migrate", "--noinput", "-v0"], env)
            knowhow(["demo"], env)
            chosen = json.loads(knowhow(["shell", "-c", SETUP], env).strip().splitlines()[-1])
            article, post_article = chosen["article"], chosen["post_article"]
            reader = (READER, READER_PASSWORD)
            moderator = (MODERATOR, MODERATOR_PASSWORD)
            base, server = start_knowhow(work, env, args.server_threads)
        article_url = f"{base}/articles/{article}/"
        page = fetch(article_url)
        posts_url = f"{base}/api/v1/articles/{article}/posts/?limit=50"
        posts_json = fetch(posts_url)
        nginx_base, nginx = start_nginx(work, page, posts_json)
        print(f"knowhow on {base}, nginx on {nginx_base}; reading {article}, "
              f"posting to {post_article}; {args.duration} s per case, {args.threads} threads, "
              f"{args.connections} connections", flush=True)  # fmt: skip

        results = [measure("a. nginx, static copy of the article page", f"{nginx_base}/", args)]
        answer = fetch_answer(article_url)
        for letter, interface in (("k", "wsgi"), ("l", "rsgi")):
            ceiling_base, ceiling = start_bare(work, env, answer, args.server_threads, interface)
            try:
                name = f"{letter}. bare {interface.upper()} app, the page's answer"
                results.append(measure(name, f"{ceiling_base}/", args))
            finally:
                stop(ceiling, group=True)
        results.append(measure("b. article page, anonymous", article_url, args))
        if reader:
            cookie = sign_in(base, *reader)
            name = f"c. article page, signed in ({POSTS} posts)"
            check_signed_in(article_url, cookie, reader[0])
            headers = (f"Cookie: {cookie}",)
            results.append(measure(name, article_url, args, headers=headers))
        if moderator:
            cookie = sign_in(base, *moderator)
            check_moderator(article_url, cookie)
            headers = (f"Cookie: {cookie}",)
            few = argparse.Namespace(**{**vars(args), "connections": args.moderator_connections})
            results.append(measure(f"i. article page, moderator ({few.connections} conn.)",
                                   article_url, few, headers=headers))  # fmt: skip
            results.append(measure(f"j. moderation queue ({few.connections} conn.)",
                                   f"{base}/moderation/", few, headers=headers))  # fmt: skip
        results.append(measure("d. home page, anonymous", f"{base}/", args))
        posting = None
        if args.url:
            print("  posting is measured only on a site this script sets up (it needs form "
                  "tokens from the site's shell)")  # fmt: skip
        else:
            count = 2 * 800 * (args.duration + WARM_UP_SECONDS + 5)  # more than it can post
            tokens = json.loads(
                knowhow(["shell", "-c", TOKENS.format(slug=post_article, count=count)], env)
                .strip()
                .splitlines()[-1]
            )
            script = posting_script(base, post_article, prefix, work, tokens, args.threads)
            post_url = f"{base}/articles/{post_article}/posts/"
            posting = measure("e. posting, anonymous (302 = stored)", post_url, args, script=script)
            results.append(posting)
        api_posts = measure("g. the posts as JSON from the API, anonymous", posts_url, args)
        results.append(api_posts)
        nginx_posts = measure("h. nginx, static copy of the posts JSON", f"{nginx_base}/posts.json",
                              args)  # fmt: skip
        results.append(nginx_posts)
        bare_base, bare = start_baseline(work, env)
        bare_view = measure("f. bare Django view, 3 comments (baseline)", f"{bare_base}/", args)
        results.append(bare_view)
        stop(bare, group=True)
        bare = None

        baseline = results[0].requests_per_second
        print(f"\n{'case':44s} {'req/s':>9s} {'p50 ms':>8s} {'p99 ms':>8s} {'errors':>7s} "
              f"{'/ nginx':>8s}")  # fmt: skip
        for result in results:
            ratio = result.requests_per_second / baseline if baseline else 0.0
            print(f"{result.name:44s} {result.requests_per_second:9.1f} {result.p50_ms:8.2f} "
                  f"{result.p99_ms:8.2f} {result.errors:7d} {ratio:8.4f}")  # fmt: skip
        anonymous = next(r for r in results if r.name.startswith("b.")).requests_per_second
        ceiling = next(r for r in results if r.name.startswith("k.")).requests_per_second
        if ceiling:
            print(f"{'b. anonymous page / k. bare WSGI ceiling':44s} {anonymous / ceiling:9.4f}")
        for result in results:
            if result.name[:2] in ("c.", "i.", "j.") and anonymous:
                ratio = result.requests_per_second / anonymous
                print(f"{result.name[:2] + ' / b. anonymous page':44s} {ratio:9.4f}")
        signed_in = next((r for r in results if r.name.startswith("c.")), None)
        if signed_in and bare_view.requests_per_second:
            ratio = signed_in.requests_per_second / bare_view.requests_per_second
            print(f"{'c. signed in / f. bare Django view':44s} {ratio:9.2f}x")
        if nginx_posts.requests_per_second:
            ratio = api_posts.requests_per_second / nginx_posts.requests_per_second
            print(f"{'g. API posts JSON / h. nginx same bytes':44s} {ratio:9.4f}")
        for result in results:
            if result.detail:
                print(f"  {result.name}: {result.detail}")
        print(f"  page size: {len(page):,} bytes (the same bytes nginx serves)")
        print(f"  posts JSON size: {len(posts_json):,} bytes (the same bytes nginx serves)")

        if server is not None and posting is not None:
            print_memory(server.pid)
            stored = json.loads(
                knowhow(["shell", "-c", COUNT_POSTS.format(prefix=prefix)], env)
                .strip()
                .splitlines()[-1]
            )
            answered = sum(
                run.statuses.get(302, 0) for run in (posting, posting.warm_up) if run is not None
            )
            print(
                f"\nposting: {answered} answers 302 (warm-up and run); {sum(stored.values())} "
                f"posts stored, by status: {stored}\n(posts still in flight when wrk stops are "
                "stored, but wrk counts no answer for them: up to --connections per wrk run)"
            )
    finally:
        stop(nginx)
        stop(bare, group=True)
        stop(server, group=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
