"""KNOWHOW_ACCESS_LOG: a line for every request the server answers, from memory or not,
with nothing secret in it."""

from __future__ import annotations

import contextlib
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.test_serve import _env, demo_server

pytestmark = pytest.mark.same_in_both_passes

ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"


def _serve_and_ask(tmp_path: Path, access_log: str, paths: list[str]) -> str:
    env = {**_env(tmp_path / "var"), "KNOWHOW_ACCESS_LOG": access_log}
    log = tmp_path / "server.log"
    with demo_server(env, log) as base:
        for path in paths:
            with contextlib.suppress(urllib.error.HTTPError):  # a 404 is logged too
                urllib.request.urlopen(base + path, timeout=10).read()
    return log.read_text()


def test_every_request_gets_a_line_pages_from_memory_too(tmp_path: Path) -> None:
    secret = "/accounts/reset/MQ/cr5x2a-0123456789abcdef0123456789abcdef/"
    output = _serve_and_ask(
        tmp_path, "true", [ARTICLE, ARTICLE, "/search/?q=private+words", secret, "/nowhere/"]
    )
    lines = [line for line in output.splitlines() if " GET /" in line and "ms" in line]
    article = [line for line in lines if f"GET {ARTICLE} 200" in line]
    assert len(article) == 2, output
    assert article[0].endswith("MISS") and article[1].endswith("HIT")
    assert any("GET /nowhere/ 404" in line for line in lines), output
    assert "private" not in output and "cr5x2a" not in output  # queries and tokens redacted
    assert any("GET /search/?[redacted]" in line for line in lines), output


def test_no_access_lines_unless_asked(tmp_path: Path) -> None:
    output = _serve_and_ask(tmp_path, "false", [ARTICLE, ARTICLE])
    assert f"GET {ARTICLE}" not in output
