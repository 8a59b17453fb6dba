"""A rate limit counts once for the whole site, however many processes serve it."""

from __future__ import annotations

import http.cookiejar
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.db import connection

from tests.site_folder import prepare
from tests.test_serve import KNOWHOW, _env, _free_port, wait_until_serving

COUNTER = """
import sys, time
import django
django.setup()
from knowhow.antiabuse import ratelimit
key, start = sys.argv[1], float(sys.argv[2])
time.sleep(max(0.0, start - time.time()))
print(sum(ratelimit.hit(key, [(5, 600)]) is None for _ in range(6)))
"""


def _database_url() -> str:
    """The test database, as a URL another process can open."""
    name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(name).resolve()}"
    url = os.environ["KNOWHOW_DATABASE_URL"]
    return url.rsplit("/", 1)[0] + "/" + name


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_a_limit_of_five(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    env.update(
        DJANGO_SETTINGS_MODULE="knowhow.settings",
        KNOWHOW_VAR_DIR=str(tmp_path),
        KNOWHOW_DATABASE_URL=_database_url(),
    )
    if os.environ.get("KNOWHOW_CACHE_URL"):
        env["KNOWHOW_CACHE_URL"] = os.environ["KNOWHOW_CACHE_URL"]
    key, start = f"shared-{uuid.uuid4().hex}", time.time() + 3
    workers = [
        subprocess.Popen(  # noqa: S603
            [sys.executable, "-c", COUNTER, key, str(start)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    passed = []
    for worker in workers:
        out, err = worker.communicate(timeout=60)
        assert worker.returncode == 0, err
        passed.append(int(out))
    # Twelve tries, six from each process, against one limit of five.
    assert sum(passed) == 5, passed


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def _post_anonymously(base: str, slug: str, text: str) -> int:
    """A new browser: read the article, post to it, and say what the site answered."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(f"{base}/articles/{slug}/", timeout=30) as page:
        html = page.read().decode()
    fields = {
        name: re.search(rf'name="{name}" value="([^"]*)"', html).group(1)  # type: ignore[union-attr]
        for name in ("csrfmiddlewaretoken", "issued")
    }
    data = urllib.parse.urlencode({**fields, "body": text, "as": "anonymous"}).encode()
    try:
        with opener.open(f"{base}/articles/{slug}/posts/", data=data, timeout=30) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as refusal:
        return int(refusal.code)


@pytest.mark.same_in_both_passes
def test_twelve_posts_to_a_two_process_server_with_a_limit_of_five(tmp_path: Path) -> None:
    env = _env(tmp_path / "var")  # the default setup: SQLite, no cache configured
    env.update(KNOWHOW_POST_RATE_ANONYMOUS="5/1d", KNOWHOW_MIN_SUBMIT_SECONDS="0")
    prepare(env)
    port = _free_port()
    server = subprocess.Popen(
        [KNOWHOW, "serve", "--port", str(port), "--workers", "2", "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base, slug = f"http://127.0.0.1:{port}", "what-are-involuntary-muscle-spasms"
    try:
        wait_until_serving(base, server)
        answers = [
            _post_anonymously(
                base, slug, f"Stretching helped me, said reader {n} ({uuid.uuid4()})."
            )
            for n in range(12)
        ]
    finally:
        server.terminate()
        server.wait(timeout=20)
    assert (answers.count(302), answers.count(429)) == (5, 7), answers
