"""The shipped systemd units: systemd accepts them, they restart whatever happens, run as
their own user confined to the data folder, and the server and the worker each run."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.server.deploy_files import INSTALLED_KNOWHOW, UNITS, env_file, exec_start, unit
from tests.site_folder import prepare
from tests.test_serve import KNOWHOW, _env

pytestmark = pytest.mark.same_in_both_passes

NAMES = ["knowhow.service", "knowhow-worker.service"]


def test_units_pass_systemd_analyze_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed on this machine")
    for name in NAMES:
        # verify checks that the program exists: point it at the one installed here.
        text = (UNITS / name).read_text().replace(INSTALLED_KNOWHOW, KNOWHOW)
        (tmp_path / name).write_text(text)
    result = subprocess.run(
        [analyze, "verify", *(str(tmp_path / name) for name in NAMES)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    said = [line for line in (result.stdout + result.stderr).splitlines() if "knowhow" in line]
    assert result.returncode == 0 and said == [], result.stdout + result.stderr


@pytest.mark.parametrize("name", NAMES)
def test_unit_restarts_always_as_its_own_user_confined_to_the_data_folder(name: str) -> None:
    settings = unit(name)
    assert settings["Restart"] == ["always"]
    assert settings["StartLimitIntervalSec"] == ["0"]  # systemd never gives up restarting
    assert settings["User"] == ["knowhow"] and settings["Group"] == ["knowhow"]
    assert settings["EnvironmentFile"] == ["/etc/knowhow/knowhow.env"]
    # Started from /, the site would put its data in /var: both say where it is.
    data = "/var/lib/knowhow"
    assert settings["WorkingDirectory"] == [data]
    assert f"KNOWHOW_VAR_DIR={data}" in settings["Environment"]
    if name == "knowhow.service":  # the server reads the settings file again on reload
        assert "KNOWHOW_ENV_FILE=/etc/knowhow/knowhow.env" in settings["Environment"]
    assert env_file()["KNOWHOW_VAR_DIR"] == data
    assert settings["ReadWritePaths"] == [data]
    for switch in ("NoNewPrivileges", "PrivateTmp", "ProtectHome", "PrivateDevices"):
        assert settings[switch] == ["yes"], switch
    assert settings["ProtectSystem"] == ["strict"]


def test_server_leaves_the_worker_to_its_own_unit_and_restarts_it_with_itself() -> None:
    server, worker = unit("knowhow.service"), unit("knowhow-worker.service")
    assert "--no-worker" in exec_start("knowhow.service", KNOWHOW)
    assert exec_start("knowhow-worker.service", KNOWHOW)[1] == "db_worker"
    assert "knowhow-worker.service" in " ".join(server["Wants"]).split()
    assert worker["PartOf"] == ["knowhow.service"]


def test_worker_unit_command_runs_the_queue(tmp_path: Path) -> None:
    env = _env(tmp_path / "var")
    prepare(env, [("migrate", "-v0")])
    # The unit's own command, told to send what is queued and stop.
    command = [*exec_start("knowhow-worker.service", KNOWHOW), "--batch"]
    result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
