"""README's upgrade, run from a real older version: installed from its own checkout as the
recipe says, its database made, then the checkout brought to this version (the old build
folder left in it, as `git pull` leaves it) and README's install line run again. The site
then passes `knowhow check`, migrates, and says its new version.

The older version is one that still had a module since removed (discussion/admin.py): a
build that reused the old build folder put it back, and the admin registered Post twice.
"""

from __future__ import annotations

import io
import re
import shlex
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from knowhow import __version__ as knowhow_version
from tests.nginx_site import _own_database
from tests.server.service_user import CHECKOUT, copy_of_checkout, machine_folder, pip_settings
from tests.server.test_readme_deploying import section, shell_lines
from tests.test_serve import _env

OLDER = "4112e07"  # the last version with discussion/admin.py
INSTALLED = "/opt/knowhow/venv"


def _run(command: list[str] | str, **kwargs: object) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(command, capture_output=True, text=True, timeout=900, **kwargs)  # type: ignore[call-overload]
    assert done.returncode == 0, f"{command}\n{done.stdout[-2000:]}{done.stderr[-3000:]}"
    return done


def _older_checkout(target: Path) -> None:
    archive = subprocess.run(
        ["git", "-C", str(CHECKOUT), "archive", "--format=tar", OLDER],
        capture_output=True, check=True, timeout=120,
    )  # fmt: skip
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")


def _pull(checkout: Path, tmp_path: Path) -> None:
    """What `git pull` does to the tracked files; build/ and other ignored files stay."""
    for entry in checkout.iterdir():
        if entry.name not in ("build",) and not entry.name.endswith(".egg-info"):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
    fresh = copy_of_checkout(tmp_path / "fresh")
    for entry in fresh.iterdir():
        shutil.move(str(entry), checkout / entry.name)


def test_readme_upgrade_from_an_older_version_checks_migrates_and_names_its_version() -> None:
    # The venv and checkouts stand in memory where there is room (see machine_root).
    with tempfile.TemporaryDirectory(prefix="knowhow-upgrade-", dir=machine_folder()) as folder:
        _upgrade(Path(folder))


def _upgrade(tmp_path: Path) -> None:
    install = [line for line in shell_lines(section("Installing")) if "/bin/pip install" in line]
    upgrade = [line for line in shell_lines(section("Upgrading")) if "/bin/pip install" in line]
    assert len(install) == 1 and len(upgrade) == 1
    checkout, venv = tmp_path / "checkout", tmp_path / "venv"
    _older_checkout(checkout)
    _run([sys.executable, "-m", "venv", str(venv)])
    env = {**_env(tmp_path / "var"), **pip_settings()}
    knowhow = str(venv / "bin" / "knowhow")
    with _own_database() as services:
        env |= services
        _run(shlex.split(install[0].replace(INSTALLED, str(venv))), cwd=checkout, env=env)
        _run([knowhow, "migrate", "-v0"], env=env)
        assert (checkout / "build" / "lib" / "knowhow" / "discussion" / "admin.py").is_file()

        _pull(checkout, tmp_path)
        _run(shlex.split(upgrade[0].replace(INSTALLED, str(venv))), cwd=checkout, env=env)
        checked = subprocess.run(
            [knowhow, "check"], env=env, capture_output=True, text=True, timeout=300
        )
        assert checked.returncode == 0, checked.stderr[-3000:]
        _run([knowhow, "migrate", "-v0"], env=env)
        shown = _run([knowhow, "--version"], env=env).stdout.strip()
    version = knowhow_version
    assert shown == f"knowhow {version}"
    assert re.search(rf"^## {re.escape(version)} ", (CHECKOUT / "CHANGELOG.md").read_text(), re.M)
