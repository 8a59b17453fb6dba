"""A restore while the site is served: the page a server holds in memory is not shown
again; the very next request shows the restored site."""

from __future__ import annotations

import os
import subprocess
import urllib.request
from pathlib import Path

from tests.test_serve import KNOWHOW, _env, demo_server

SKY = "/articles/why-is-the-sky-blue/"


def _anonymous(url: str) -> tuple[str, str]:
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode(), response.headers.get("X-Cache", "")


def test_a_page_cached_before_the_restore_is_not_served_after_it(tmp_path: Path) -> None:
    env = _env(tmp_path / "var")
    env["KNOWHOW_DATABASE_URL"] = f"sqlite:///{tmp_path / 'site.sqlite3'}"
    if os.environ.get("KNOWHOW_CACHE_URL"):  # the PostgreSQL + Redis pass: versions in Redis
        env["KNOWHOW_CACHE_URL"] = os.environ["KNOWHOW_CACHE_URL"]
        env["KNOWHOW_CACHE_PREFIX"] = f"backup-served-{os.getpid()}"

    def knowhow(*args: str) -> None:
        subprocess.run([KNOWHOW, *args], env=env, check=True, timeout=300, capture_output=True)

    knowhow("migrate", "-v0")
    knowhow("demo", "-v0")
    backup = tmp_path / "site.zip"
    knowhow("backup", str(backup))
    knowhow(
        "shell",
        "-c",
        "from knowhow.articles.models import Article\n"
        "a = Article.objects.get(slug='why-is-the-sky-blue')\n"
        "a.title = 'Renamed after the backup'\n"
        "a.save()\n",
    )
    with demo_server(env, tmp_path / "serve.log") as base:
        _anonymous(base + SKY)
        page, how = _anonymous(base + SKY)
        assert how == "HIT" and "Renamed after the backup" in page

        knowhow("restore", "--replace", str(backup))

        page, how = _anonymous(base + SKY)
        assert "Renamed after the backup" not in page
        assert "Why is the Sky Blue?" in page, how
