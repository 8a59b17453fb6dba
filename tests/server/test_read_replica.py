"""A real streaming replica: pages read from it, and it never makes a page stale.

The test starts a PostgreSQL primary and a replica made from it with pg_basebackup, and
`knowhow serve` reading from the replica (KNOWHOW_DATABASE_REPLICA_URLS). The replica's
replay is paused to make it lag behind a post, then it is stopped.
"""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection

from tests.test_serve import _env, demo_server
from tests.throwaway_postgres import ThrowawayPostgres

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = [
    pytest.mark.timing,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="read replicas are PostgreSQL streaming replicas"
    ),
]

ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def _browser() -> tuple[urllib.request.OpenerDirector, http.cookiejar.CookieJar]:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    return opener, jar


def _open(
    opener: urllib.request.OpenerDirector, url: str, data: dict[str, str] | None = None
) -> tuple[int, Any, str]:
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    try:
        with opener.open(url, data=body, timeout=30) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def _sql(server: ThrowawayPostgres, query: str, *params: Any) -> list[tuple[Any, ...]]:
    with psycopg.connect(server.url.replace("postgres://", "postgresql://"), autocommit=True) as db:
        return db.execute(query, params or None).fetchall()  # type: ignore[arg-type]


def _posts_saying(server: ThrowawayPostgres, text: str) -> int:
    return int(_sql(server, "SELECT count(*) FROM discussion_post WHERE body = %s", text)[0][0])


def _replica_was_asked(replica: ThrowawayPostgres) -> bool:
    """Whether the site's last query on some connection to the replica read its tables."""
    asked = _sql(
        replica,
        "SELECT query FROM pg_stat_activity WHERE backend_type = 'client backend'"
        " AND pid <> pg_backend_pid()",
    )
    return any('"articles_' in query for (query,) in asked)


@pytest.fixture(scope="module")
def databases() -> Iterator[tuple[ThrowawayPostgres, ThrowawayPostgres]]:
    primary = ThrowawayPostgres()
    primary.start()
    replica: ThrowawayPostgres | None = None
    try:
        replica = primary.replica()
        replica.start()
        yield primary, replica
    finally:
        if replica is not None:
            replica.remove()
        primary.remove()


@pytest.fixture(scope="module")
def site(
    databases: tuple[ThrowawayPostgres, ThrowawayPostgres], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path]]:
    primary, replica = databases
    folder = tmp_path_factory.mktemp("replica")
    env = {
        **_env(folder / "var"),
        "KNOWHOW_DATABASE_URL": primary.url,
        "KNOWHOW_DATABASE_REPLICA_URLS": replica.url,
        "KNOWHOW_DATABASE_REPLICA_MAX_LAG_SECONDS": "2",
        "KNOWHOW_MIN_SUBMIT_SECONDS": "0",
    }
    log = folder / "server.log"
    # Migrations and the demo's writes go to the primary: the replica refuses every write.
    with demo_server(env, log) as base:
        yield base, log


def test_pages_read_from_the_replica(
    site: tuple[str, Path], databases: tuple[ThrowawayPostgres, ThrowawayPostgres]
) -> None:
    base, _ = site
    _, replica = databases
    browser, _ = _browser()
    status, _, page = _open(browser, f"{base}/topics/?seen=1")
    assert status == 200 and "Topics" in page
    assert _replica_was_asked(replica)


def test_a_paused_replica_never_makes_a_page_stale(
    site: tuple[str, Path], databases: tuple[ThrowawayPostgres, ThrowawayPostgres]
) -> None:
    base, log = site
    primary, replica = databases
    article = base + ARTICLE
    anonymous, _ = _browser()
    assert _open(anonymous, article)[0] == 200
    assert _open(anonymous, article)[1]["X-Cache"] == "HIT"
    author, jar = _browser()
    _, _, page = _open(author, article)
    form = dict(re.findall(r'name="(csrfmiddlewaretoken|issued)" value="([^"]*)"', page))
    text = "Written while the replica was paused: still here."

    _sql(replica, "SELECT pg_wal_replay_pause()")
    try:
        status, _, _ = _open(author, f"{article}posts/", {**form, "body": text})
        assert status == 302
        # The replica truly lags behind the post ...
        assert (_posts_saying(primary, text), _posts_saying(replica, text)) == (1, 0)
        # ... yet its author sees it at once, and so does everyone else, kept or not.
        assert text in _open(author, article)[2]
        assert any(cookie.name == "knowhow_wrote" for cookie in jar)
        status, headers, page = _open(anonymous, article)
        assert status == 200 and text in page
        assert headers["X-Cache"] == "MISS"
        status, headers, page = _open(anonymous, article)
        assert headers["X-Cache"] == "HIT" and text in page
        assert text in _open(_browser()[0], article)[2]
        # Longer than the lag a replica may have: every read goes to the primary, said once.
        time.sleep(3)
        for number in range(3):
            assert text in _open(_browser()[0], f"{article}?again={number}")[2]
            assert text in _open(author, article)[2]
    finally:
        _sql(replica, "SELECT pg_wal_replay_resume()")
    output = log.read_text()
    assert output.count("behind the primary") == 1, output

    # Once the replica has the post, the author is back on kept pages.
    for _ in range(50):
        if _posts_saying(replica, text) == 1:
            break
        time.sleep(0.1)
    assert text in _open(author, article)[2]
    time.sleep(1.1)  # the next measure of the lag
    assert text in _open(author, article)[2]
    assert not any(cookie.name == "knowhow_wrote" for cookie in jar)


def _processes(server: ThrowawayPostgres) -> list[int]:
    """The server's processes: its postmaster and every backend and helper it started."""
    main = int((server.data / "postmaster.pid").read_text().split()[0])
    found = subprocess.run(["pgrep", "-P", str(main)], capture_output=True, text=True)
    return [main, *(int(pid) for pid in found.stdout.split())]


def test_a_replica_that_hangs_or_is_down_leaves_reads_to_the_primary_with_one_log_line(
    site: tuple[str, Path], databases: tuple[ThrowawayPostgres, ThrowawayPostgres]
) -> None:
    base, log = site
    _, replica = databases
    browser, _ = _browser()
    assert _open(browser, f"{base}/topics/?before=1")[0] == 200
    # Hung: it takes connections and queries and never answers.
    stopped = _processes(replica)
    for pid in stopped:
        os.kill(pid, signal.SIGSTOP)
    try:
        started = time.monotonic()
        for number in range(4):
            for url in (f"{base}/topics/?n={number}", f"{base}{ARTICLE}?n={number}", f"{base}/"):
                status, _, page = _open(browser, url)
                assert status == 200, page
        # One wait for the kept connection and one for a new one, then none.
        assert time.monotonic() - started < 8
    finally:
        for pid in stopped:
            os.kill(pid, signal.SIGCONT)
    # Down: it refuses connections.
    replica.stop()
    for number in range(4):
        for url in (f"{base}/topics/?m={number}", f"{base}{ARTICLE}?m={number}", f"{base}/"):
            status, _, page = _open(browser, url)
            assert status == 200, page
    status, _, health = _open(browser, f"{base}/healthz")
    found = json.loads(health)
    assert (status, found["status"], found["replicas"]) == (200, "degraded", "failed")
    assert found["details"]["replicas"] == "replica_1 away"
    output = log.read_text()
    assert output.count("does not answer") == 1, output
    assert "Traceback" not in output

    # Back: each process tries it again every few seconds, and says so once.
    replica.start()
    time.sleep(5.5)
    # A loaded machine may take a few more seconds to see it back; reads return to it then.
    deadline, number, asked = time.monotonic() + 30, 0, False
    while not asked and time.monotonic() < deadline:
        assert _open(browser, f"{base}/topics/?back={number}")[0] == 200
        asked = _replica_was_asked(replica)
        number += 1
        if not asked:
            time.sleep(0.5)
    assert asked
    assert log.read_text().count("answers again") == 1
    assert json.loads(_open(browser, f"{base}/healthz")[2])["replicas"] == "ok"
