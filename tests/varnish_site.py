"""The shipped Varnish file (deploy/varnish/knowhow.vcl) started for real by `varnishd` in
front of a real `knowhow serve` (with its task worker), purged by the site on every write.

Only the backend's port of the shipped file is swapped for the test's own. The served site
runs on SQLite in its data folder, or on a database of its own in the PostgreSQL pass.
"""

from __future__ import annotations

import contextlib
import http.client
import secrets
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.machine import missing
from tests.nginx_site import _own_database, _wait
from tests.server.deploy_files import DEPLOY, site_settings
from tests.site_folder import prepare
from tests.test_serve import KNOWHOW, _env, _free_port

VCL = DEPLOY / "varnish" / "knowhow.vcl"
HOST = "example.org"
ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"


@dataclass
class Edge:
    app_port: int
    port: int
    var_dir: Path
    env: dict[str, str] = field(repr=False)

    def request(
        self,
        method: str,
        path: str,
        *,
        body: str | None = None,
        headers: dict[str, str] | None = None,
        port: int | None = None,
    ) -> tuple[http.client.HTTPResponse, bytes]:
        connection = http.client.HTTPConnection("127.0.0.1", port or self.port, timeout=30)
        try:
            connection.request(method, path, body=body, headers={"Host": HOST, **(headers or {})})
            response = connection.getresponse()
            return response, response.read()
        finally:
            connection.close()

    def knowhow(self, *args: str) -> subprocess.CompletedProcess[str]:
        """A `knowhow` command in another process, with the site's settings."""
        return subprocess.run(
            [KNOWHOW, *args], env=self.env, capture_output=True, text=True, timeout=120
        )


def varnishd() -> str:
    found = shutil.which("varnishd") or (
        "/usr/sbin/varnishd" if Path("/usr/sbin/varnishd").exists() else ""
    )
    xkey = list(Path("/usr/lib").glob("*/varnish/vmods/libvmod_xkey.so"))
    if not found or not xkey:
        missing("varnish and varnish-modules (apt-get install varnish varnish-modules)")
    return found


@pytest.fixture(scope="module")
def edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Edge]:
    with edge_site(tmp_path_factory) as site:
        yield site


@contextlib.contextmanager
def edge_site(tmp_path_factory: pytest.TempPathFactory, **settings: str) -> Iterator[Edge]:
    """The site behind Varnish, with these KNOWHOW_ settings beside the test's own."""
    program = varnishd()
    with _own_database() as services:
        root = tmp_path_factory.mktemp("varnish-site")
        var_dir = root / "var"
        app_port, port = _free_port(), _free_port()
        env = {
            **_env(var_dir),
            **site_settings(),
            "KNOWHOW_SECRET_KEY": secrets.token_urlsafe(50),
            "KNOWHOW_MIN_SUBMIT_SECONDS": "0",
            "KNOWHOW_LOG_FORMAT": "text",
            **services,
            **settings,
        }
        env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        prepare(env)
        # From here on every write purges the edge (the demo was made before it ran).
        env["KNOWHOW_EDGE_PURGE_URLS"] = f"varnish://127.0.0.1:{port}"
        shipped = VCL.read_text()
        assert '.port = "8000";' in shipped, "deploy/varnish/knowhow.vcl no longer has port 8000"
        vcl = root / "knowhow.vcl"
        vcl.write_text(shipped.replace('.port = "8000";', f'.port = "{app_port}";'))
        app_log, edge_log = root / "serve.log", root / "varnish.log"
        with app_log.open("wb") as out:
            app = subprocess.Popen(
                [KNOWHOW, "serve", "--port", str(app_port), "--workers", "1"],
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        with edge_log.open("wb") as out:
            cache = subprocess.Popen(
                [program, "-F", "-n", str(root / "varnish"), "-a", f"127.0.0.1:{port}",
                 "-f", str(vcl), "-s", "malloc,64m", "-T", "none", "-j", "none",
                 "-p", "thread_pools=1", "-p", "thread_pool_min=5"],
                stdout=out,
                stderr=subprocess.STDOUT,
            )  # fmt: skip
        try:
            _wait(app_port, app, app_log)
            _wait(port, cache, edge_log)
            yield Edge(app_port=app_port, port=port, var_dir=var_dir, env=env)
        finally:
            for process in (cache, app):
                process.terminate()
            for process in (cache, app):
                process.wait(timeout=30)
