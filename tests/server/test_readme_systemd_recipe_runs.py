"""README's recipe for nginx and systemd, run as written on this machine: a real system
account made by its `useradd` line, the package installed into a fresh venv by its `pip`
line, its folders and settings file made by its `install` lines, then `knowhow migrate` and
`knowhow check --deploy` through its `knowhow()` function and `knowhow serve` as the unit
starts it, as that account, answering /healthz.

Paths under /opt, /etc and /var/lib are moved under a folder of the test's own and the
account gets a name of its own, so tests at once on one machine never meet. There is no
systemd here: the function's and the unit's user, settings file and folder are given with
runuser, which sets HOME from the account as systemd's User= does.
"""

from __future__ import annotations

import re
import secrets
import shlex
import subprocess
from pathlib import Path

from tests.nginx_site import _own_database
from tests.server.deploy_files import env_file, unit
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

ACCOUNT = "knowhow"
MACHINE_PATHS = ("/var/lib/knowhow", "/opt/knowhow", "/etc/knowhow")


def recipe() -> list[str]:
    found = re.search(
        r"^## With nginx and systemd\n(.*?)(?=^## )", section("Installing"), re.S | re.M
    )
    assert found, "docs/operators/install.md has no '## With nginx and systemd' section"
    return re.findall(r"```sh\n(.*?)```", found.group(1), re.S)


class Machine:
    """README's names, moved to this test's folder and account."""

    def __init__(self, root: Path, user: str) -> None:
        self.root, self.user = root, user

    def path(self, text: str) -> str:
        for place in MACHINE_PATHS:
            text = text.replace(place, f"{self.root}{place}")
        return text

    def line(self, line: str) -> list[str]:
        words = shlex.split(self.path(line))
        if words[0] == "useradd":
            assert words[-1] == ACCOUNT, line
            words[-1] = self.user
        for i, word in enumerate(words[:-1]):
            if word in ("-o", "-g") and words[i + 1] == ACCOUNT:
                words[i + 1] = self.user
        return words


def test_readme_systemd_recipe_installs_migrates_and_serves_as_its_service_user(
    tmp_path: Path,
) -> None:
    need_root()
    install, function, *_ = recipe()
    lines = [line.strip() for line in install.splitlines() if line.strip()]
    assert lines[0].startswith("apt-get install ")  # the machine's packages: here already
    assert [line for line in lines if line.startswith("sudo -u postgres ")] == [
        "sudo -u postgres createuser --pwprompt knowhow",
        "sudo -u postgres createdb --owner knowhow knowhow",
    ]  # PostgreSQL's own accounts: the test's database server stands in for them
    steps = [line for line in lines[1:] if not line.startswith("sudo -u postgres ")]
    user = unique_user()
    with machine_root() as root, removed_afterwards(user), _own_database() as services:
        machine = Machine(root, user)
        checkout = copy_of_checkout(tmp_path / "checkout")
        for step in steps:
            # As root at a shell of the machine's: its python3 and umask 022, so what root
            # installs the account can run; pip keeps its settings (index, certificates).
            done = subprocess.run(
                machine.line(step), cwd=checkout, capture_output=True, text=True, timeout=900,
                umask=0o022, env={**pip_settings(), **BARE},
            )  # fmt: skip
            assert done.returncode == 0, f"{step}\n{done.stdout[-2000:]}{done.stderr[-3000:]}"

        # "Edit /etc/knowhow/knowhow.env": a key of one's own, the database, the mail.
        settings_file = Path(machine.path("/etc/knowhow/knowhow.env"))
        settings = env_file(settings_file)
        for name in ("KNOWHOW_DATABASE_URL", "KNOWHOW_CACHE_URL", "KNOWHOW_EMAIL_URL"):
            del settings[name]  # SQLite, memory and mail files, unless the pass has its own
        settings |= services | {
            "KNOWHOW_SECRET_KEY": secrets.token_urlsafe(50),
            "KNOWHOW_VAR_DIR": machine.path(settings["KNOWHOW_VAR_DIR"]),
        }
        settings_file.write_text("".join(f"{k}={v}\n" for k, v in settings.items()))

        # README's knowhow() function: its account, settings file, folder and program.
        body = " ".join(function.split("\\\n"))
        assert f"--uid={ACCOUNT} --gid={ACCOUNT}" in body
        (env_path,) = re.findall(r"-p EnvironmentFile=(\S+)", body)
        (work_dir,) = re.findall(r"-p WorkingDirectory=(\S+)", body)
        (program,) = re.findall(r"(\S+/bin/knowhow) \"\$@\"", body)
        home = Path(machine.path(work_dir))
        assert env_path == "/etc/knowhow/knowhow.env"
        # The account's home is its data folder: the very pairing that must be accepted.
        assert Path(machine.path("/var/lib/knowhow")) == home
        knowhow = machine.path(program)
        for command in re.findall(r"^knowhow (.+)$", function, re.M):
            if command == "createsuperuser":
                continue  # asks its questions at a terminal
            done = run_as(user, [knowhow, *shlex.split(command)], env=settings, cwd=home)
            assert done.returncode == 0, f"knowhow {command}\n{done.stdout}{done.stderr}"
            if command == "check --deploy":
                # What it found at each service, and nothing to fix.
                said = done.stdout + done.stderr
                engine = "PostgreSQL" if "KNOWHOW_DATABASE_URL" in settings else "SQLite"
                assert f"(knowhow.I001) database: {engine}" in said, said
                assert "WARNINGS" not in said, said

        # knowhow.service: its user, folder, Environment= and settings file.
        served = unit("knowhow.service")
        assert served["User"] == [ACCOUNT] and served["Group"] == [ACCOUNT]
        (start,) = served["ExecStart"]
        assert start.split()[0] == program
        unit_env = dict(line.split("=", 1) for line in served["Environment"])
        env = settings | {k: machine.path(v) for k, v in unit_env.items()}
        (folder,) = served["WorkingDirectory"]
        with serving_as(
            user,
            [knowhow, *shlex.split(start)[1:]],
            env=env,
            cwd=Path(machine.path(folder)),
            log=tmp_path / "serve.log",
        ) as base:
            status, text = healthz(base, settings["KNOWHOW_ALLOWED_HOSTS"].split(",")[0])
        assert status == 200, text + (tmp_path / "serve.log").read_text()
        # The site wrote its data as its account, at home: static files collected at start.
        assert (home / "static").owner() == user
