"""A real system account on this machine for a test, made with useradd and removed after,
and the site's commands run as it (runuser), as a service manager would start them."""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.test_serve import _free_port

# Only what a service manager gives a service besides its own variables (and runuser adds
# HOME, SHELL, USER and LOGNAME from the account, as systemd's User= does).
BARE = {"PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"}
CHECKOUT = Path(__file__).resolve().parents[2]


def pip_settings() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k.startswith("PIP_")}


def need_root() -> None:
    if os.geteuid() != 0 or not (shutil.which("useradd") and shutil.which("runuser")):
        pytest.skip("making a system account needs root, useradd and runuser")


def machine_folder() -> str:
    """Memory (/dev/shm) where it has room for a venv or two: a venv's thousands of files
    are written and removed there in a moment, where a disk that discards freed blocks
    takes minutes to remove them; else /var/tmp."""
    memory, disk = "/dev/shm", "/var/tmp"  # noqa: S108 - mkdtemp makes a private folder in it
    with contextlib.suppress(OSError):
        if shutil.disk_usage(memory).free > 4 * 1024**3 and os.access(memory, os.W_OK):
            return memory
    return disk


@contextmanager
def machine_root() -> Iterator[Path]:
    """A folder standing in for / (its /opt, /etc, /var/lib), that any account can walk."""
    root = Path(tempfile.mkdtemp(prefix="knowhow-machine-", dir=machine_folder()))
    root.chmod(0o755)
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def unique_user() -> str:
    # Tests may run at once on one machine: each account gets a name of its own.
    return f"khtest{secrets.token_hex(4)}"


@contextmanager
def removed_afterwards(user: str) -> Iterator[None]:
    try:
        yield
    finally:
        subprocess.run(["userdel", user], capture_output=True, timeout=60)
        subprocess.run(["groupdel", user], capture_output=True, timeout=60)


def copy_of_checkout(target: Path) -> Path:
    """The checkout's files, without what building or running it left behind."""
    shutil.copytree(
        CHECKOUT,
        target,
        ignore=shutil.ignore_patterns(
            ".venv", "var", ".git", "build", "dist", "test-output", "*.egg-info",
            "__pycache__", ".*_cache",
        ),
    )  # fmt: skip
    return target


def run_as(
    user: str, command: list[str], *, env: dict[str, str], cwd: Path, timeout: int = 300
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["runuser", "-u", user, "--", *command],
        env={**BARE, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


@contextmanager
def serving_as(
    user: str, command: list[str], *, env: dict[str, str], cwd: Path, log: Path
) -> Iterator[str]:
    """`knowhow serve` started as the account; yields its address once it listens, and
    stops it (SIGTERM) after the block."""
    port = _free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            ["runuser", "-u", user, "--", *command],
            env={**BARE, **env, "KNOWHOW_PORT": str(port)},
            cwd=cwd, stdout=out, stderr=subprocess.STDOUT, process_group=0,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            if server.poll() is not None:
                raise AssertionError(f"serve exited {server.returncode}:\n{log.read_text()}")
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1).close()
                break
            except urllib.error.HTTPError:
                break  # it answers: the test looks at what
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=10)


def healthz(base: str, host: str) -> tuple[int, str]:
    request = urllib.request.Request(base + "/healthz", headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - our own
            return response.status, response.read().decode()
    except urllib.error.HTTPError as refused:
        return refused.code, refused.read().decode()
