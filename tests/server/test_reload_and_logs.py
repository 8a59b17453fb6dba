"""`kill -HUP` brings the settings file too (KNOWHOW_ENV_FILE), a bad value in it keeps the
settings the site runs with; granian's own lines are JSON in a JSON log; figures of ended
server processes are removed; the data folder is private whatever the umask."""

from __future__ import annotations

import json
import signal
import stat
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_serve import KNOWHOW, _env, _free_port

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = [pytest.mark.timing, pytest.mark.same_in_both_passes]


@contextmanager
def _serving(env: dict[str, str], log: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    for command in (["migrate", "-v0"], ["demo", "--if-empty"]):
        subprocess.run([KNOWHOW, *command], env=env, check=True, timeout=300, capture_output=True)
    port = _free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [KNOWHOW, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
            env=env, stdout=out, stderr=subprocess.STDOUT, process_group=0,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(lambda: _page(base + "/healthz") is not None, server, log)
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)


def _page(url: str) -> str | None:
    try:
        return urllib.request.urlopen(url, timeout=5).read().decode()
    except OSError:
        return None


def _wait_for(condition: object, server: subprocess.Popen[bytes], log: Path) -> None:
    for _ in range(300):
        if condition():  # type: ignore[operator]
            return
        assert server.poll() is None, log.read_text()
        time.sleep(0.1)
    raise AssertionError(log.read_text())


def test_hup_reloads_the_settings_file_and_refuses_a_bad_one(tmp_path: Path) -> None:
    settings = tmp_path / "knowhow.env"
    settings.write_text("KNOWHOW_SITE_NAME=Before Name\nKNOWHOW_LOG_FORMAT=json\n")
    env = {
        **_env(tmp_path / "var"),
        "KNOWHOW_SITE_NAME": "Before Name",
        "KNOWHOW_LOG_FORMAT": "json",
        "KNOWHOW_ENV_FILE": str(settings),
    }
    run = tmp_path / "var" / "run"
    run.mkdir(parents=True)
    (run / "page-cache-4194999.json").write_text("{}")  # a process long gone
    log = tmp_path / "server.log"
    with _serving(env, log) as (base, server):
        assert "Before Name" in (_page(base + "/about/") or _page(base + "/") or "")
        assert not (run / "page-cache-4194999.json").exists()

        settings.write_text("KNOWHOW_SITE_NAME='After Name'\nKNOWHOW_LOG_FORMAT=json\n")
        server.send_signal(signal.SIGHUP)
        _wait_for(lambda: "After Name" in (_page(base + "/") or ""), server, log)

        settings.write_text("KNOWHOW_SITE_NAME=Third Name\nKNOWHOW_TIME_ZONE=Europe/Nowhere\n")
        server.send_signal(signal.SIGHUP)
        _wait_for(lambda: "settings kept" in log.read_text(), server, log)
        time.sleep(1)
        assert "After Name" in (_page(base + "/") or "")
    said = log.read_text()
    kept = [line for line in said.splitlines() if "settings kept" in line]
    assert len(kept) == 1 and "KNOWHOW_TIME_ZONE must be a time zone name" in kept[0]
    assert "Traceback" not in said
    granian = [line for line in said.splitlines() if "HUP signal received" in line]
    assert granian, said
    for line in granian:
        assert json.loads(line)["logger"] == "_granian"


def test_the_data_folder_is_private_whatever_the_umask(tmp_path: Path) -> None:
    var = tmp_path / "var"
    subprocess.run([KNOWHOW, "migrate", "-v0"], env=_env(var), check=True, timeout=300, umask=0o022)
    assert stat.S_IMODE(var.stat().st_mode) == 0o700
    for name in ("knowhow.sqlite3", "secret_key"):
        assert stat.S_IMODE((var / name).stat().st_mode) == 0o600, name
    for path in var.rglob("*"):
        assert not path.stat().st_mode & 0o007, f"{path} is open to everyone"
