"""`knowhow serve` collects the static files only when they changed, and a full disk does
not stop it (no restart loop under Restart=always): it says so in one line and serves the
files collected before."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path

import pytest

from tests.small_disk import fill, small_disk
from tests.test_serve import _env, demo_server

pytestmark = pytest.mark.same_in_both_passes

ARTICLE = "/articles/what-are-involuntary-muscle-spasms/"


def _page_and_stylesheet(base: str) -> None:
    page = urllib.request.urlopen(base + ARTICLE, timeout=10).read().decode()
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', page)
    assert stylesheet, "the page links no stylesheet"
    assert urllib.request.urlopen(base + stylesheet.group(1), timeout=10).status == 200


def test_static_files_are_collected_once_and_a_full_disk_keeps_the_server_up(
    tmp_path: Path,
) -> None:
    var = tmp_path / "var"
    env = _env(var)
    with small_disk(var / "static", megabytes=12) as disk:
        with demo_server(env, tmp_path / "first.log") as base:
            _page_and_stylesheet(base)
        assert "static files: collected into" in (tmp_path / "first.log").read_text()

        with demo_server(env, tmp_path / "again.log") as base:
            _page_and_stylesheet(base)
        assert "static files: current in" in (tmp_path / "again.log").read_text()

        (disk / ".collected").unlink()  # as a new version's files would
        fill(disk)
        with demo_server(env, tmp_path / "full.log") as base:
            _page_and_stylesheet(base)
        said = (tmp_path / "full.log").read_text()
        assert "Traceback" not in said, said
        (line,) = [line for line in said.splitlines() if "static files" in line]
        assert "could not collect the static files" in line
        assert "(No space left on device); serving those collected before" in line
