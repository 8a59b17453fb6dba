"""deploy/knowhow.env.example: a site run with it passes `check --deploy` once its key is
made, and one who forgets to make the key is told."""

from __future__ import annotations

import secrets
import subprocess
from pathlib import Path

from tests.operations.deploy_files import env_file
from tests.test_serve import KNOWHOW, _env


def _check_deploy(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {**_env(tmp_path / "var"), **settings, "KNOWHOW_VAR_DIR": str(tmp_path / "var")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; no site has it
    return subprocess.run(
        [KNOWHOW, "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120
    )


def test_the_example_settings_pass_check_deploy_with_a_key_of_ones_own(tmp_path: Path) -> None:
    settings = env_file() | {"KNOWHOW_SECRET_KEY": secrets.token_urlsafe(50)}
    checked = _check_deploy(tmp_path, **settings)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "System check identified no issues" in checked.stdout


def test_the_placeholder_key_left_in_place_is_reported(tmp_path: Path) -> None:
    checked = _check_deploy(tmp_path, **env_file())
    assert "security.W009" in checked.stdout + checked.stderr
