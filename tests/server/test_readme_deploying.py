"""README's Deploying, Upgrading and Backing up sections name files that exist, commands
that run, and the order an upgrade must follow."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.core.management import get_commands

from knowhow import config
from tests.server.deploy_files import DEPLOY
from tests.test_serve import KNOWHOW, _env

pytestmark = pytest.mark.same_in_both_passes

ROOT = DEPLOY.parent
# The operators' pages of the documentation; paths are looked for on every page.
OPERATORS = ROOT / "docs" / "operators"
DOCS_TEXT = "\n".join(page.read_text() for page in sorted((ROOT / "docs").rglob("*.md")))
# Made by the operator from the instructions, never shipped (and kept out of git).
OPERATORS_OWN = {"deploy/container/knowhow.env", "deploy/container/.env"}


def section(title: str) -> str:
    """The whole operators' page of this title (its `# ` heading)."""
    pages = {page.read_text().partition("\n")[0]: page for page in OPERATORS.glob("*.md")}
    assert f"# {title}" in pages, f"docs/operators has no page '# {title}'"
    return pages[f"# {title}"].read_text()


def shell_lines(text: str) -> list[str]:
    blocks = re.findall(r"```sh\n(.*?)```", text, re.S)
    return [line.strip() for block in blocks for line in block.splitlines()]


OPERATIONS = "".join(map(section, ("Installing", "Containers", "Upgrading", "Backing up")))


def test_every_deploy_file_readme_names_is_shipped() -> None:
    named = {path.rstrip(".,") for path in re.findall(r"deploy/[\w./-]+", DOCS_TEXT)}
    assert "deploy/nginx/knowhow.conf" in named
    missing = sorted(p for p in named - OPERATORS_OWN if not (ROOT / p).is_file())
    assert missing == []
    ignored = (ROOT / ".gitignore").read_text().splitlines()
    assert set(ignored) >= OPERATORS_OWN  # passwords never end up committed


def test_every_unit_readme_starts_is_shipped() -> None:
    started = set()
    for line in shell_lines(OPERATIONS):
        if line.startswith("systemctl ") and " knowhow" in line:
            started |= {w for w in line.split() if w.startswith("knowhow")}
    assert started >= {"knowhow", "knowhow-worker"}
    for name in started:
        assert (DEPLOY / "systemd" / f"{name}.service").is_file(), name


def test_every_knowhow_command_readme_gives_exists() -> None:
    named = set(re.findall(r"`knowhow (\w+)", OPERATIONS))
    for line in shell_lines(OPERATIONS):
        if line.startswith("knowhow "):
            named.add(line.split()[1])
        named |= set(re.findall(r"(?:exec app|:/data) knowhow (\w+)", line))
    assert {"migrate", "createsuperuser", "serve", "backup", "restore"} <= named
    unknown = sorted(name for name in named if name not in get_commands())
    assert unknown == []


def test_upgrading_backs_up_installs_migrates_then_restarts() -> None:
    steps = "\n".join(shell_lines(section("Upgrading")))
    order = [
        steps.index("Back up"),
        steps.index("pip install --upgrade"),
        steps.index("knowhow migrate"),
        steps.index("systemctl restart knowhow"),
    ]
    assert order == sorted(order)
    assert "refuses to start and says to run migrate" in section("Upgrading")


def test_backing_up_names_the_generated_key_file(tmp_path: Path) -> None:
    config.secret_key("KNOWHOW_NO_SUCH_SETTING", tmp_path)
    (generated,) = [path.name for path in tmp_path.iterdir()]
    backing_up = section("Backing up")
    assert f"`{generated}`" in backing_up and "KNOWHOW_SECRET_KEY" in backing_up
    assert "pg_dump" in backing_up and "pg_restore" in backing_up


def test_the_sqlite_backup_command_copies_a_live_site(tmp_path: Path) -> None:
    if shutil.which("sqlite3") is None:
        pytest.skip("the sqlite3 command is not installed")
    var_dir = tmp_path / "var"
    subprocess.run([KNOWHOW, "migrate", "-v0"], env=_env(var_dir), check=True, timeout=120)
    (command,) = re.findall(r"`(sqlite3 [^`]*\.backup[^`]*)`", section("Backing up"))
    command = command.replace("/var/lib/knowhow/", f"{var_dir}/").replace(
        "/backup/", f"{tmp_path}/"
    )
    subprocess.run(command, shell=True, check=True, timeout=60)  # noqa: S602 - README's own line
    with sqlite3.connect(tmp_path / "knowhow.sqlite3") as copy:
        tables = {row[0] for row in copy.execute("SELECT name FROM sqlite_master")}
    assert {"django_migrations", "articles_article"} <= tables
