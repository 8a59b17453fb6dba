"""The shipped nginx site (deploy/nginx/knowhow.conf) started for real in front of a real
`knowhow serve`, with a self-signed certificate for example.org made here.

Only the ports and paths of the shipped file are swapped for the test's own; everything else
(proxy headers, TLS, static files, sizes, timeouts) is served as shipped.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import secrets
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.machine import missing
from tests.server.deploy_files import DEPLOY, exec_start, site_settings
from tests.site_folder import prepare
from tests.test_serve import KNOWHOW, _env, _free_port

SITE_CONF = DEPLOY / "nginx" / "knowhow.conf"
HOST = "example.org"
ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"

# On top of the shipped example environment file: one anonymous post a day per address, at
# once, so whose address the site counts shows.
TEST_ENV = {"KNOWHOW_POST_RATE_ANONYMOUS": "1/1d", "KNOWHOW_MIN_SUBMIT_SECONDS": "0"}


def _swapped(text: str, swaps: dict[str, str]) -> str:
    for shipped, ours in swaps.items():
        assert shipped in text, f"deploy/nginx/knowhow.conf no longer has {shipped!r}"
        text = text.replace(shipped, ours)
    return text


@dataclass
class Site:
    app_port: int
    https_port: int
    http_port: int
    cafile: Path
    var_dir: Path

    def connect(self, source: str = "127.0.0.1") -> http.client.HTTPSConnection:
        return _Connection(self.https_port, self.cafile, source)

    def request(
        self,
        method: str,
        path: str,
        *,
        source: str = "127.0.0.1",
        body: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[http.client.HTTPResponse, bytes]:
        connection = self.connect(source)
        try:
            connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()


class _Connection(http.client.HTTPSConnection):
    """HTTPS to example.org (certificate checked), reaching the test's nginx on 127.0.0.1."""

    def __init__(self, port: int, cafile: Path, source: str) -> None:
        context = ssl.create_default_context(cafile=str(cafile))
        super().__init__(HOST, port, context=context, timeout=30, source_address=(source, 0))

    def connect(self) -> None:
        raw = socket.create_connection(("127.0.0.1", self.port), self.timeout, self.source_address)
        self.sock = self._context.wrap_socket(raw, server_hostname=HOST)  # type: ignore[attr-defined]


@contextlib.contextmanager
def _own_database() -> Iterator[dict[str, str]]:
    """In the PostgreSQL + Redis pass, the served site gets a database of its own on that
    server, and the same Redis; else SQLite in its data folder and memory."""
    url = os.environ.get("KNOWHOW_DATABASE_URL", "")
    cache = os.environ.get("KNOWHOW_CACHE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        yield {}
        return
    import psycopg

    server, name = url.rsplit("/", 1)[0], f"knowhow_nginx_{secrets.token_hex(4)}"
    with psycopg.connect(server + "/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {"KNOWHOW_DATABASE_URL": f"{server}/{name}"} | (
            {"KNOWHOW_CACHE_URL": cache} if cache else {}
        )
    finally:
        with psycopg.connect(server + "/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _wait(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    # A loaded test machine can take a minute and more to start a server.
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"exited early:\n{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {port}:\n{log.read_text()}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not nginx or not shutil.which("openssl"):
        missing("nginx and openssl (apt-get install nginx-light openssl)")
    with _own_database() as services:
        yield from _served(tmp_path_factory, nginx, services)


# The docs' command that cuts the host's file for the containers (docs/operators/containers.md).
_CONTAINERS_PAGE = DEPLOY.parent / "docs" / "operators" / "containers.md"
_CUT = re.search(r"^sed '([^']+)'", _CONTAINERS_PAGE.read_text(), re.M)
assert _CUT, "docs/operators/containers.md gives no sed command cutting the nginx site"
FOR_CONTAINERS = _CUT.group(1)


def for_containers(text: str) -> str:
    """The shipped file as the docs say to use it in front of the containers."""
    cut = subprocess.run(
        ["sed", FOR_CONTAINERS], input=text, capture_output=True, text=True, check=True
    )
    return cut.stdout


@pytest.fixture(scope="module")
def container_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site behind the file cut for containers: nginx reads nothing from the data folder."""
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not nginx or not shutil.which("openssl"):
        missing("nginx and openssl (apt-get install nginx-light openssl)")
    yield from _served(tmp_path_factory, nginx, {}, containers=True)


def _served(
    tmp_path_factory: pytest.TempPathFactory,
    nginx: str,
    services: dict[str, str],
    *,
    containers: bool = False,
) -> Iterator[Site]:
    root = tmp_path_factory.mktemp("nginx-site")
    var_dir = root / "var"
    env = {
        **_env(var_dir),
        **site_settings(),
        **TEST_ENV,
        "KNOWHOW_SECRET_KEY": secrets.token_urlsafe(50),
        "KNOWHOW_LOG_FORMAT": "text",
        **services,
    }
    assert env["KNOWHOW_ALLOWED_HOSTS"] == HOST
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; no site has it
    prepare(env)

    cert, key = root / "site.crt", root / "site.key"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
         "-keyout", str(key), "-out", str(cert), "-subj", f"/CN={HOST}",
         "-addext", f"subjectAltName=DNS:{HOST}"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    shipped = SITE_CONF.read_text()
    data_folder = {"root /var/lib/knowhow;": f"root {var_dir};"}
    if containers:
        shipped = for_containers(shipped)
        assert "/var/lib/knowhow" not in shipped, "the containers' file reads the host's folder"
        data_folder = {}
    conf = _swapped(
        shipped,
        {
            **data_folder,
            "server 127.0.0.1:8000;": f"server 127.0.0.1:{app_port};",
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
    challenges = root / "acme" / ".well-known" / "acme-challenge"
    challenges.mkdir(parents=True)
    (challenges / "renewal-token").write_text("renewal-token.proof")
    # The server-wide part a Debian nginx.conf has; the site is included as sites-enabled is.
    # Workers run as root here, as the test's temporary folders are the test user's alone.
    temp = "\n".join(
        f"  {kind}_temp_path {root}/{kind};" for kind in ("client_body", "proxy", "fastcgi")
    )
    (root / "nginx.conf").write_text(
        f"user root;\nworker_processes 1;\npid {root}/nginx.pid;\nerror_log {root}/error.log;\n"
        f"events {{ worker_connections 256; }}\n"
        f"http {{\n  include /etc/nginx/mime.types;\n  access_log off;\n{temp}\n"
        f"  uwsgi_temp_path {root}/uwsgi;\n  scgi_temp_path {root}/scgi;\n"
        f"  include {root}/knowhow.conf;\n}}\n"
    )
    nginx_cmd = [nginx, "-p", str(root), "-c", str(root / "nginx.conf")]
    tested = subprocess.run([*nginx_cmd, "-t"], capture_output=True, text=True, timeout=30)
    assert tested.returncode == 0, tested.stderr

    app_log, nginx_log = root / "serve.log", root / "nginx.log"
    with app_log.open("wb") as out:
        app = subprocess.Popen(
            [*exec_start("knowhow.service", KNOWHOW), "--port", str(app_port), "--workers", "1"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    with nginx_log.open("wb") as out:
        proxy = subprocess.Popen(
            [*nginx_cmd, "-g", "daemon off;"], stdout=out, stderr=subprocess.STDOUT
        )
    try:
        _wait(app_port, app, app_log)
        _wait(https_port, proxy, nginx_log)
        yield Site(
            app_port=app_port,
            https_port=https_port,
            http_port=http_port,
            cafile=cert,
            var_dir=var_dir,
        )
    finally:
        for process in (proxy, app):
            process.terminate()
        for process in (proxy, app):
            process.wait(timeout=30)


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";")[0]
    return found


def form_fields(html: str) -> dict[str, str]:
    """The post form's hidden fields, as a browser would send them back."""
    form = re.search(r'<form method="post" action="[^"]*/posts/".*?</form>', html, re.S)
    assert form, "the article page has no post form"
    fields = {}
    for tag in re.findall(r"<input [^>]*>", form.group(0)):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name and 'type="hidden"' in tag:
            fields[name.group(1)] = value.group(1) if value else ""
    return fields
