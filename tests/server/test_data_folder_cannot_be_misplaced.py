"""The data folder (the secret key, mail holding reset links, SQLite) never lands in a system
folder because of where the command was started: started from / as a service is, the site
uses its own var/ or says which variable to set."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from knowhow import config
from tests.test_serve import KNOWHOW, _env

pytestmark = pytest.mark.same_in_both_passes

CHECKOUT = Path(__file__).resolve().parents[2]
SHOW = "from django.conf import settings; print(settings.VAR_DIR, settings.EMAIL_FILE_PATH)"


def test_started_from_the_root_a_source_checkout_keeps_its_own_var(tmp_path: Path) -> None:
    env = _env(tmp_path)
    del env["KNOWHOW_VAR_DIR"]
    shown = subprocess.run(
        [KNOWHOW, "shell", "-v0", "-c", SHOW],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    var_dir, mail_dir = shown.stdout.split()
    assert var_dir == str(CHECKOUT / "var")
    assert mail_dir == str(CHECKOUT / "var" / "mail")


def test_an_installed_copy_started_from_the_root_asks_for_the_variable(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KNOWHOW_VAR_DIR", raising=False)
    monkeypatch.chdir("/")
    installed = tmp_path / "lib" / "python3.11" / "site-packages" / "knowhow"
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_VAR_DIR is not set") as refused:
        config.var_dir("KNOWHOW_VAR_DIR", installed)
    assert "current folder / is no place" in str(refused.value)


def test_an_installed_copy_started_from_a_folder_of_its_own_uses_var_there(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KNOWHOW_VAR_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    installed = tmp_path / "venv" / "lib" / "python3.11" / "site-packages" / "knowhow"
    assert config.var_dir("KNOWHOW_VAR_DIR", installed) == tmp_path.resolve() / "var"


@pytest.mark.parametrize("folder", ["/", "/var", "/etc", "/usr", "/home", "/tmp", "/var/lib/"])  # noqa: S108
def test_a_system_folder_is_refused_in_one_line(tmp_path: Path, folder: str) -> None:
    env = {**_env(tmp_path), "KNOWHOW_VAR_DIR": folder}
    result = subprocess.run(
        [KNOWHOW, "check"], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 2
    assert result.stderr.startswith("knowhow: KNOWHOW_VAR_DIR must be a folder of the site's own")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not Path(folder, "secret_key").exists()


def test_a_folder_of_its_own_is_taken_as_given(tmp_path: Path) -> None:
    env = {**_env(tmp_path / "site" / "var")}
    shown = subprocess.run(
        [KNOWHOW, "shell", "-v0", "-c", SHOW],
        env=env,
        cwd="/",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert shown.stdout.split()[0] == str(tmp_path / "site" / "var")
    assert (tmp_path / "site" / "var" / "secret_key").is_file()


@pytest.mark.parametrize(("uid", "refused"), [(0, True), (1000, True), (4242, True), (998, False)])
def test_a_home_folder_is_refused_for_a_person_and_taken_for_a_service_account(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, uid: int, refused: bool
) -> None:
    # useradd --system gives ids below 1000 and a home made for the service's data.
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("KNOWHOW_VAR_DIR", str(tmp_path))
    monkeypatch.setattr(config.os, "getuid", lambda: uid)
    if refused:
        with pytest.raises(ImproperlyConfigured, match="not the home folder"):
            config.var_dir("KNOWHOW_VAR_DIR", tmp_path / "pkg")
    else:
        assert config.var_dir("KNOWHOW_VAR_DIR", tmp_path / "pkg") == tmp_path.resolve()
