"""The Containerfile's own commands run on this machine (no container tool can pull images
here): its account made by its RUN line, the package installed by its RUN lines, then as
that account, with its ENV, `knowhow migrate` (README's first `docker run`) and its
ENTRYPOINT and CMD serving /healthz, which its HEALTHCHECK command finds healthy.

/data, /app and /usr/local are moved under a folder of the test's own and the account gets a
name of its own; the image's Python is a venv of the machine's python3.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest

from tests.server.deploy_files import DEPLOY
from tests.server.service_user import (
    BARE,
    copy_of_checkout,
    healthz,
    machine_root,
    need_root,
    pip_settings,
    removed_afterwards,
    run_as,
    serving_as,
    unique_user,
)
from tests.server.test_readme_deploying import section

pytestmark = pytest.mark.same_in_both_passes

CONTAINERFILE = DEPLOY / "container" / "Containerfile"


def instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, its arguments), continuation lines joined."""
    text = re.sub(r"\\\n\s*", " ", CONTAINERFILE.read_text())
    found = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            found.append((word, rest.strip()))
    return found


def test_containerfile_commands_install_migrate_and_serve_as_its_user(tmp_path: Path) -> None:
    need_root()
    steps = instructions()
    user = unique_user()
    with machine_root() as root, removed_afterwards(user):
        checkout = copy_of_checkout(root / "app")  # WORKDIR, where the server starts
        (root / "tmp").mkdir(mode=0o1777)
        python = root / "usr" / "local"
        made = subprocess.run(
            ["/usr/bin/python3", "-m", "venv", str(python)], capture_output=True, timeout=300
        )
        assert made.returncode == 0, made.stderr

        def here(text: str) -> str:
            text = re.sub(r"(?<![\w/.])/data\b", f"{root}/data", text)
            text = re.sub(r"(?<![\w/.])/tmp/", f"{root}/tmp/", text)  # noqa: S108
            return re.sub(r"(?<![\w/.])/app\b", str(checkout), text)

        path = f"{python}/bin:{BARE['PATH']}"
        env: dict[str, str] = {}
        account = ""
        for word, rest in steps:
            if word == "RUN":
                if "useradd" in rest:
                    # The account's lines: its name is the test's own.
                    rest = re.sub(r"\bknowhow\b", user, rest)
                # The Containerfile's own line, as its shell runs it.
                done = subprocess.run(  # noqa: S602
                    here(rest), shell=True, cwd=checkout, capture_output=True, text=True,
                    timeout=900, umask=0o022, env={**pip_settings(), **BARE, "PATH": path},
                )  # fmt: skip
                assert done.returncode == 0, f"RUN {rest}\n{done.stderr[-3000:]}"
            elif word == "COPY" and "healthcheck.py" in rest:
                source, target = rest.split()
                (checkout / Path(target).name).write_text((checkout / source).read_text())
            elif word == "ENV":
                env |= dict(pair.split("=", 1) for pair in shlex.split(here(rest)))
            elif word == "USER":
                account = rest
        assert account == "knowhow"
        data = Path(env["KNOWHOW_VAR_DIR"])
        assert data == root / "data"
        entrypoint = json.loads(dict(steps)["ENTRYPOINT"])
        command = json.loads(dict(steps)["CMD"])
        (health,) = [rest for word, rest in steps if word == "HEALTHCHECK"]
        check = [here(w) for w in json.loads(health.split(" CMD ", 1)[1])]
        env |= {"PATH": path, "KNOWHOW_HOST": "127.0.0.1"}  # the host's port, not the world's

        # The docs' `docker run --rm -v knowhow-data:/data knowhow migrate` (Containers).
        runs = re.findall(
            r"^docker run --rm -v \S+:/data knowhow (.+)$", section("Containers"), re.M
        )
        assert runs == ["migrate"]
        migrated = run_as(user, [*entrypoint, *shlex.split(runs[0])], env=env, cwd=checkout)
        assert migrated.returncode == 0, migrated.stderr

        with serving_as(
            user, [*entrypoint, *command], env=env, cwd=checkout, log=tmp_path / "serve.log"
        ) as base:
            status, text = healthz(base, "localhost")
            port = base.rsplit(":", 1)[1]
            checked = run_as(user, check, env={**env, "KNOWHOW_PORT": port}, cwd=checkout)
        assert status == 200, text + (tmp_path / "serve.log").read_text()
        assert checked.returncode == 0, checked.stderr
        # The account's home is the data volume, and the site keeps its data there.
        assert (data / "secret_key").owner() == user
