"""The fleet of deploy/fleet/: nginx (its shipped site) in front of two `knowhow serve`
servers, each with a data folder of its own as on a machine of its own, sharing one
PostgreSQL, one Redis, the pictures' folder and the secret key, with two worker machines
(`knowhow db_worker`, as knowhow-worker.service runs it) doing the background work.

A reader signed in through one server is signed in on the other; a post through either is
on both servers' kept pages at once; a burst split across both is limited as one reader's;
a scheduled article goes live once, told once; and a server killed with SIGKILL in a burst
of posts through nginx loses no post that was answered.

The fleet has a PostgreSQL database and a Redis of its own (a database made on the
PostgreSQL pass's server, or a throwaway server on the SQLite pass), so it runs beside any
other suite.
"""

from __future__ import annotations

import contextlib
import http.client
import http.server
import json
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import subprocess
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.nginx_site import HOST, _swapped, form_fields
from tests.server.deploy_files import DEPLOY, env_file, exec_start, site_settings
from tests.test_serve import KNOWHOW, _env, _free_port
from tests.throwaway_postgres import ThrowawayPostgres
from tests.throwaway_redis import ThrowawayRedis

FLEET_SITE = DEPLOY / "fleet" / "knowhow.conf"
FLEET_ENV = DEPLOY / "fleet" / "knowhow.env.fleet"
SINGLE_SITE = DEPLOY / "nginx" / "knowhow.conf"
PASSWORD = "a fleet of one mind 7"
TITLES = ["Why is the Sky Blue?", "How do Bees Make Honey?", "Why do Muscles Cramp at Night?"]
SKY, BEES, CRAMPS = "/articles/why-is-the-sky-blue/", "/articles/how-do-bees-make-honey/", (
    "/articles/why-do-muscles-cramp-at-night/")  # fmt: skip

# On top of the shipped settings: four anonymous posts in ten minutes per address, at once;
# these tests count limits and losses, not the spam guard's scores; and ten posters queueing
# on one article on a busy test machine are not taken for a database that hangs.
TEST_ENV = {
    "KNOWHOW_DATABASE_WAIT_SECONDS": "10",
    "KNOWHOW_POST_RATE_ANONYMOUS": "4/10m",
    "KNOWHOW_MIN_SUBMIT_SECONDS": "0",
    "KNOWHOW_SPAM_THRESHOLD": "1000",
    "KNOWHOW_LOG_FORMAT": "text",
}

# Runs in `knowhow shell -c` once: a reader with a password, an editor of the newsroom, and
# the articles the tests read and post to, published by the editor.
SETUP = f"""
from django.contrib.auth.models import Group, User
from knowhow.articles import services
from knowhow.articles.models import Person, Topic
User.objects.create_user("rosa", "rosa@example.org", {PASSWORD!r})
ed = User.objects.create_user("ed", "ed@example.org", {PASSWORD!r}, is_staff=True,
                              first_name="Ed", last_name="Fleet")
ed.groups.add(Group.objects.get(name="editor"))
Person.objects.update_or_create(name="Ed Fleet", defaults={{"user": ed, "slug": "ed-fleet"}})
topic = Topic.objects.create(name="Nature", slug="nature")
for title in {TITLES!r}:
    article = services.create_article(by=ed, title=title, topic=topic, body="Asked and answered.")
    services.publish(article=article, by=ed)
"""
# Runs in `knowhow shell -c` beside the migration: the static files collected as `knowhow
# serve` collects them, once, for both app servers' data folders.
COLLECT = "from knowhow.server import static_files; static_files.collect(print)"


@dataclass
class App:
    name: str
    port: int
    process: subprocess.Popen[bytes]
    log: Path


@dataclass
class Fleet:
    apps: list[App]
    workers: list[subprocess.Popen[bytes]]
    https_port: int
    cafile: Path
    machine_env: dict[str, str]  # a worker machine's settings, for commands
    database_url: str

    def query(self, sql: str, *params: object) -> list[tuple[object, ...]]:
        """What the shared database holds, read as an operator's psql would."""
        import psycopg

        with psycopg.connect(self.database_url.replace("postgres://", "postgresql://", 1)) as db:
            return list(db.execute(sql, params).fetchall())

    def shell(self, code: str) -> str:
        done = subprocess.run(
            [KNOWHOW, "shell", "-v0", "-c", code],
            env=self.machine_env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    text: str

    @property
    def post_number(self) -> int | None:
        named = re.search(r"#post-(\d+)$", self.headers.get("location", ""))
        return int(named.group(1)) if named else None


class Browser:
    """One reader's browser at one address (a loopback one, 127.x.y.z): its cookies kept.

    It asks either nginx (over HTTPS, from that address) or one app server directly, sent as
    nginx sends it on: Host, X-Forwarded-Proto and the reader's address in X-Forwarded-For.
    """

    def __init__(self, fleet: Fleet, address: str) -> None:
        self.fleet = fleet
        self.address = address
        self.cookies: dict[str, str] = {}

    def _connection(self, app: App | None) -> http.client.HTTPConnection:
        if app is not None:
            return http.client.HTTPConnection("127.0.0.1", app.port, timeout=30)
        return _Tls(self.fleet.https_port, self.fleet.cafile, self.address)

    def request(
        self, app: App | None, method: str, path: str, form: dict[str, str] | None = None
    ) -> Answer:
        headers = {"Host": HOST}
        if app is not None:
            headers |= {"X-Forwarded-Proto": "https", "X-Forwarded-For": self.address}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}{path}",
            }
        connection = self._connection(app)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
        finally:
            connection.close()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        return Answer(response.status, {k.lower(): v for k, v in response.getheaders()}, text)

    def get(self, app: App | None, path: str) -> Answer:
        return self.request(app, "GET", path)

    def post(self, app: App | None, article: str, text: str) -> Answer:
        """Open the article's page, then send its form with the text, anonymously."""
        page = self.get(app, article)
        assert page.status == 200, page.text[:300]
        form = {**form_fields(page.text), "body": text, "website": "", "as": "anonymous"}
        return self.request(app, "POST", article + "posts/", form)

    def sign_in(self, app: App, username: str) -> Answer:
        page = self.get(app, "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, "the sign-in page has no form"
        form = {"csrfmiddlewaretoken": token.group(1), "username": username, "password": PASSWORD}
        return self.request(app, "POST", "/accounts/login/", form)


class _Tls(http.client.HTTPSConnection):
    """HTTPS to example.org (certificate checked), reaching the fleet's nginx on 127.0.0.1."""

    def __init__(self, port: int, cafile: Path, source: str) -> None:
        context = ssl.create_default_context(cafile=str(cafile))
        super().__init__(HOST, port, context=context, timeout=30, source_address=(source, 0))

    def connect(self) -> None:
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(raw, server_hostname=HOST)  # type: ignore[attr-defined]


def _signed_in_as(answer: Answer) -> str | None:
    """The name the page's header shows beside "Sign out", if any."""
    shown = re.search(
        r'<div class="account">\s*<a href="[^"]*">([^<]+)</a>\s*'
        r'<form method="post" action="/accounts/logout/"',
        answer.text,
    )
    return shown.group(1) if shown else None


# -- the fleet ------------------------------------------------------------------------------


@contextlib.contextmanager
def _database() -> Iterator[str]:
    """A database of the fleet's own: on the PostgreSQL pass's server, made for this module
    and dropped after; else on a throwaway PostgreSQL server."""
    url = os.environ.get("KNOWHOW_DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        server = ThrowawayPostgres()
        server.start()
        try:
            yield server.url
        finally:
            server.remove()
        return
    import psycopg

    where, name = url.rsplit("/", 1)[0], f"knowhow_several_servers_{os.getpid()}"
    with psycopg.connect(where + "/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{where}/{name}"
    finally:
        with psycopg.connect(where + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"exited early:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise RuntimeError(f"nothing listens on {port}:\n{log.read_text()}") from None
            time.sleep(0.1)


def _nginx_conf(root: Path, ports: list[int], http_port: int, https_port: int) -> Path:
    """The shipped fleet site with the test's ports, certificate and app servers."""
    cert, key = root / "site.crt", root / "site.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={HOST}",
         "-addext", f"subjectAltName=DNS:{HOST}"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    conf = _swapped(
        FLEET_SITE.read_text(),
        {
            "server 10.0.0.11:8000 ": f"server 127.0.0.1:{ports[0]} ",
            "server 10.0.0.12:8000 ": f"server 127.0.0.1:{ports[1]} ",
            "listen 80;": f"listen 127.0.0.1:{http_port};",
            "listen [::]:80;": f"listen [::1]:{http_port};",
            "listen 443 ssl": f"listen 127.0.0.1:{https_port} ssl",
            "listen [::]:443 ssl": f"listen [::1]:{https_port} ssl",
            "/etc/ssl/certs/knowhow.crt": str(cert),
            "/etc/ssl/private/knowhow.key": str(key),
            "root /var/www/letsencrypt;": f"root {root / 'acme'};",
        },
    )
    (root / "knowhow.conf").write_text(conf)
    temp = "\n".join(
        f"  {kind}_temp_path {root}/{kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    (root / "nginx.conf").write_text(
        f"user root;\nworker_processes 1;\npid {root}/nginx.pid;\nerror_log {root}/error.log;\n"
        f"events {{ worker_connections 512; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n{temp}\n"
        f"  include {root}/knowhow.conf;\n}}\n"
    )
    return cert


@pytest.fixture(scope="module")
def fleet(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Fleet]:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not nginx or not shutil.which("openssl"):
        pytest.skip("nginx and openssl are not installed (apt-get install nginx-light openssl)")
    redis = ThrowawayRedis()
    with _database() as database_url:
        redis.start()
        try:
            yield from _started(tmp_path_factory.mktemp("fleet"), nginx, database_url, redis.url)
        finally:
            redis.stop()


def _started(root: Path, nginx: str, database_url: str, cache_url: str) -> Iterator[Fleet]:
    shared_media = root / "shared-media"
    secret_key = secrets.token_urlsafe(50)
    fleet_settings = env_file(FLEET_ENV)
    assert fleet_settings["KNOWHOW_TASK_WORKER"] == "false"

    def machine(name: str) -> dict[str, str]:
        env = {
            **_env(root / name / "var"),  # each machine its own data folder
            **site_settings(),
            **fleet_settings,
            **TEST_ENV,
            # What the fleet shares: the test's own services and folder, one key.
            "KNOWHOW_DATABASE_URL": database_url,
            "KNOWHOW_CACHE_URL": cache_url,
            "KNOWHOW_MEDIA_ROOT": str(shared_media),
            "KNOWHOW_SECRET_KEY": secret_key,
            "KNOWHOW_HOST": "127.0.0.1",
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; no site has it
        return env

    def run(env: dict[str, str], *command: str) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            [KNOWHOW, *command], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )

    def finish(process: subprocess.Popen[bytes]) -> None:
        output, _ = process.communicate(timeout=300)
        assert process.returncode == 0, f"{process.args}:\n{output.decode()}"

    # The static files (for app-1, copied to app-2) while the database is migrated.
    collecting = run(machine("app-1"), "shell", "-v0", "-c", COLLECT)
    setup = machine("worker-1")
    finish(run(setup, "migrate", "-v0"))
    # The people and articles while the servers start.
    people = run(setup, "shell", "-v0", "-c", SETUP)
    finish(collecting)
    shutil.copytree(root / "app-1" / "var" / "static", root / "app-2" / "var" / "static")

    processes: list[subprocess.Popen[bytes]] = [people]
    apps, workers = [], []
    try:
        for name in ("app-1", "app-2"):
            port, log = _free_port(), root / f"{name}.log"
            # Plain `knowhow serve`: the fleet's settings file alone keeps the worker off.
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [KNOWHOW, "serve", "--port", str(port), "--workers", "1"],
                    env={**machine(name), "KNOWHOW_PORT": str(port)},
                    stdout=out, stderr=subprocess.STDOUT, process_group=0,
                )  # fmt: skip
            processes.append(process)
            apps.append(App(name, port, process, log))
        for name in ("worker-1", "worker-2"):
            with (root / f"{name}.log").open("wb") as out:
                process = subprocess.Popen(
                    exec_start("knowhow-worker.service", KNOWHOW),
                    env=machine(name), stdout=out, stderr=subprocess.STDOUT, process_group=0,
                )  # fmt: skip
            processes.append(process)
            workers.append(process)

        http_port, https_port = _free_port(), _free_port()
        proxy_root = root / "nginx"
        (proxy_root / "acme").mkdir(parents=True)
        cert = _nginx_conf(proxy_root, [app.port for app in apps], http_port, https_port)
        nginx_cmd = [nginx, "-p", str(proxy_root), "-c", str(proxy_root / "nginx.conf")]
        tested = subprocess.run([*nginx_cmd, "-t"], capture_output=True, text=True, timeout=30)
        assert tested.returncode == 0, tested.stderr
        nginx_log = proxy_root / "nginx.log"
        with nginx_log.open("wb") as out:
            proxy = subprocess.Popen(
                [*nginx_cmd, "-g", "daemon off;"],
                stdout=out, stderr=subprocess.STDOUT, process_group=0,
            )  # fmt: skip
        processes.insert(0, proxy)  # stopped first: no connection left open to the servers
        finish(people)
        for app in apps:
            _wait_for_port(app.port, app.process, app.log)
        _wait_for_port(https_port, proxy, nginx_log)
        yield Fleet(apps, workers, https_port, cert, setup, database_url)
    finally:
        _stop(processes)


def _stop(processes: list[subprocess.Popen[bytes]]) -> None:
    """Stop every process of the fleet; one still there after a few seconds is killed with
    the processes it started (a graceful stop is not what these tests look at)."""
    for process in processes:
        with contextlib.suppress(ProcessLookupError):
            process.terminate()
    deadline = time.monotonic() + 5
    for process in processes:
        try:
            process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def _kill(app: App) -> None:
    """SIGKILL to the server and every process it started, as a crash or the OOM killer."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(app.process.pid, signal.SIGKILL)
    app.process.wait(timeout=30)


def _thread_texts(browser: Browser, app: App | None, article: str) -> str:
    """Every page of the article's discussion, as one text."""
    pages = []
    address = article
    for _ in range(100):
        answer = browser.get(app, address)
        assert answer.status == 200, answer.status
        pages.append(answer.text)
        older = re.search(r'href="(\?before=\d+)#discuss">Older posts<', answer.text)
        if older is None:
            break
        address = article + older.group(1)
    return "\n".join(pages)


# -- the shipped files -----------------------------------------------------------------------


def test_the_fleet_site_is_the_single_site_with_an_upstream_of_several(fleet: Fleet) -> None:
    # Every header, timeout and TLS setting comes from the one-server site, as cut for a
    # proxy without the data folder: a change there that is not made here fails.
    cut = subprocess.run(
        ["sed", "/>>> FILES FROM THE DATA FOLDER/,/<<< END OF THE FILES FROM THE DATA FOLDER/d"],
        input=SINGLE_SITE.read_text(), capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    servers = cut[cut.index("# Plain HTTP") :]
    fleet_site = FLEET_SITE.read_text()
    assert fleet_site.endswith(servers)
    upstream = re.search(r"upstream knowhow \{(.*?)\}", fleet_site, re.S)
    assert upstream and len(re.findall(r"^\s*server \S+:8000", upstream.group(1), re.M)) >= 2
    # The servers answered with no task worker of their own, as the fleet's settings say.
    for app in fleet.apps:
        assert "no task worker" in app.log.read_text()
        assert "task worker started" not in app.log.read_text()


# -- one site, whichever server --------------------------------------------------------------


def test_signing_in_through_one_server_is_signed_in_on_the_other(fleet: Fleet) -> None:
    one, other = fleet.apps
    browser = Browser(fleet, "127.0.1.1")
    signed = browser.sign_in(one, "rosa")
    assert signed.status == 302, signed.text[:500]
    assert _signed_in_as(browser.get(other, "/")) == "rosa"
    assert _signed_in_as(browser.get(None, "/")) == "rosa"  # through nginx, either server

    # Signing out on the other ends the session on the first too.
    page = browser.get(other, "/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token
    out = browser.request(other, "POST", "/accounts/logout/", {"csrfmiddlewaretoken": token[1]})
    assert out.status in (200, 302), out.text[:300]
    assert _signed_in_as(browser.get(one, "/")) is None
    assert _signed_in_as(browser.get(other, "/")) is None


def test_a_post_through_either_server_is_on_both_servers_kept_pages_at_once(
    fleet: Fleet,
) -> None:
    article = SKY
    reader = Browser(fleet, "127.0.2.1")
    assert reader.sign_in(fleet.apps[0], "rosa").status == 302
    visitors = {app.name: Browser(fleet, "127.0.2.2") for app in fleet.apps}

    def kept_everywhere() -> None:
        for app in fleet.apps:
            visitors[app.name].get(app, article)
            assert visitors[app.name].get(app, article).headers.get("x-cache") == "HIT"
            reader.get(app, article)  # a signed-in reader's page, kept or built from parts

    for n, through in enumerate([*fleet.apps, *reversed(fleet.apps)]):
        kept_everywhere()
        poster = Browser(fleet, f"127.0.2.{10 + n}")
        text = f"Rayleigh scattering, told through {through.name}, round {n}."
        answer = poster.post(through, article, text)
        assert answer.status == 302 and answer.post_number, answer.text[:500]
        for app in fleet.apps:  # the moment the answer came: no server shows the old page
            assert text in visitors[app.name].get(app, article).text, app.name
            assert text in reader.get(app, article).text, app.name
        assert text in Browser(fleet, "127.0.2.3").get(None, article).text


def test_a_burst_split_across_both_servers_is_limited_as_one_reader(fleet: Fleet) -> None:
    article = BEES
    reader = Browser(fleet, "127.0.3.1")  # four posts in ten minutes, whichever server
    answers = [
        reader.post(fleet.apps[n % 2], article, f"Bees fan the nectar dry, note {n}.")
        for n in range(8)
    ]
    statuses = [answer.status for answer in answers]
    assert statuses == [302] * 4 + [429] * 4, statuses
    assert "faster than this site allows" in answers[4].text
    assert "Bees fan the nectar dry, note 5." in answers[5].text  # the refused text is kept
    # Another reader is not held up by the first one's count.
    assert Browser(fleet, "127.0.3.2").post(fleet.apps[1], article, "Mine too.").status == 302
    shown = _thread_texts(Browser(fleet, "127.0.3.3"), None, article)
    assert [n for n in range(8) if f"Bees fan the nectar dry, note {n}." in shown] == [0, 1, 2, 3]


# -- the worker fleet ------------------------------------------------------------------------


class _Receiver(http.server.BaseHTTPRequestHandler):
    received: list[dict[str, object]] = []

    def do_POST(self) -> None:  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append({"event": self.headers["X-Knowhow-Event"], **json.loads(body)})
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


def test_a_scheduled_article_goes_live_once_with_two_servers_and_two_workers(
    fleet: Fleet,
) -> None:
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    try:
        _goes_live_once(fleet, f"http://127.0.0.1:{receiver.server_address[1]}/hook")
    finally:
        receiver.shutdown()


def _goes_live_once(fleet: Fleet, hook: str) -> None:
    title, slug = "Why Do Fleets Keep Time?", "why-do-fleets-keep-time"
    fleet.shell(
        "import datetime as dt\nfrom django.contrib.auth.models import User\n"
        "from django.utils import timezone\nfrom knowhow.api.models import Webhook\n"
        "from knowhow.articles import services\nfrom knowhow.articles.models import Topic\n"
        f"Webhook.objects.create(url={hook!r}, events='article.published')\n"
        "ed = User.objects.get(username='ed')\n"
        f"a = services.create_article(by=ed, title={title!r}, topic=Topic.objects.first(),\n"
        "    body='Every clock in the fleet agrees.')\n"
        "services.publish(article=a, by=ed, at=timezone.now() + dt.timedelta(seconds=6))\n"
    )
    visitor = Browser(fleet, "127.0.4.1")
    for app in fleet.apps:  # both servers keep the home page from before it goes live
        visitor.get(app, "/")
        home = visitor.get(app, "/")
        assert home.headers.get("x-cache") == "HIT" and title not in home.text
        assert visitor.get(app, f"/articles/{slug}/").status == 404

    deadline = time.monotonic() + 30
    while not _Receiver.received and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _Receiver.received, "no webhook delivery within 30 s"
    time.sleep(2)  # time for either worker (each looks every second) to do it again
    told = [d for d in _Receiver.received if d["event"] == "article.published"]
    assert len(told) == 1, told
    assert told[0]["data"]["slug"] == slug  # type: ignore[index]

    (article_id, status), *_ = fleet.query(
        "SELECT id, status FROM articles_article WHERE slug = %s", slug
    )
    counts = {
        "status": status,
        "published": fleet.query(
            "SELECT count(*) FROM articles_articleevent WHERE article_id = %s"
            " AND action = 'published'", article_id,
        )[0][0],
        "deliveries": fleet.query(
            "SELECT count(*) FROM knowhow_api_delivery WHERE event = 'article.published'"
        )[0][0],
        "runs": fleet.query(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE task_path LIKE %s AND status = 'SUCCESSFUL'", "%.publish_scheduled",
        )[0][0],
    }  # fmt: skip
    assert counts == {"status": "published", "published": 1, "deliveries": 1, "runs": 1}
    for app in fleet.apps:  # each server's kept home page was stamped by the worker's write
        assert title in visitor.get(app, "/").text, app.name
        assert visitor.get(app, f"/articles/{slug}/").status == 200
    feed = visitor.get(None, "/feed/").text
    assert feed.count(f'/articles/{slug}/" rel="alternate"') == 1, feed[:1000]


# -- a server lost ---------------------------------------------------------------------------


@dataclass
class _Burst:
    lock: threading.Lock = field(default_factory=threading.Lock)
    answered: dict[str, int] = field(default_factory=dict)  # text -> the number named
    answered_after_kill: int = 0
    unanswered: dict[str, str] = field(default_factory=dict)  # text -> what came instead
    killed: threading.Event = field(default_factory=threading.Event)


def _poster(fleet: Fleet, burst: _Burst, index: int, article: str) -> None:
    browser = Browser(fleet, f"127.0.{10 + index}.1")
    for n in range(4):  # the limit of one address
        text = f"Client {index} says cramps eased after stretching, try {n}."
        try:
            answer = browser.post(None, article, text)
        except (OSError, http.client.HTTPException, AssertionError) as error:
            with burst.lock:
                burst.unanswered[text] = repr(error)[:200]
            continue
        with burst.lock:
            if answer.status in (302, 303) and answer.post_number:
                burst.answered[text] = answer.post_number
                burst.answered_after_kill += burst.killed.is_set()
            else:
                kept = " (text kept)" if text in answer.text else ""
                burst.unanswered[text] = f"{answer.status}{kept}: {answer.text[:200]}"


def test_a_server_killed_in_a_burst_of_posts_loses_no_answered_post(fleet: Fleet) -> None:
    article = CRAMPS
    burst = _Burst()
    threads = [threading.Thread(target=_poster, args=(fleet, burst, i, article)) for i in range(10)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 30
    while len(burst.answered) < 10 and time.monotonic() < deadline:
        time.sleep(0.01)
    _kill(fleet.apps[1])
    burst.killed.set()
    for thread in threads:
        thread.join(timeout=60)

    # Only posts in flight at the moment of the kill may go unanswered (nginx's 502), or
    # be turned away with the text kept ("back in a moment", 503) while the database waits.
    assert len(burst.answered) >= 25, burst.unanswered
    assert burst.answered_after_kill > 0, "the other server took no post after the kill"
    for text, what in burst.unanswered.items():
        assert what.startswith("502") or what.startswith("503 (text kept)"), (text, what)
    stored = fleet.query(
        "SELECT p.body, p.number, p.status FROM discussion_post p"
        " JOIN articles_article a ON a.id = p.article_id WHERE a.slug = %s",
        "why-do-muscles-cramp-at-night",
    )
    by_text = {body: (number, status) for body, number, status in stored}
    for text, number in burst.answered.items():
        assert by_text.get(text) == (number, "published"), text
    numbers = sorted(number for _, number, _ in stored)
    assert numbers == list(range(1, len(numbers) + 1))  # no gap, no repeat
    shown = _thread_texts(Browser(fleet, "127.0.5.1"), None, article)
    shown_by_survivor = _thread_texts(Browser(fleet, "127.0.5.2"), fleet.apps[0], article)
    for text in burst.answered:
        assert text in shown and text in shown_by_survivor, text
