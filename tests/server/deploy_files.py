"""Reading the shipped files under deploy/ as the tools that use them do."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"
ENV_FILE = DEPLOY / "knowhow.env.example"
UNITS = DEPLOY / "systemd"
INSTALLED_KNOWHOW = "/opt/knowhow/venv/bin/knowhow"

# Services of their own on a real machine; the tests' site runs on SQLite in its folder.
MACHINE_SPECIFIC = {
    "KNOWHOW_DATABASE_URL",
    "KNOWHOW_CACHE_URL",
    "KNOWHOW_EMAIL_URL",
    "KNOWHOW_VAR_DIR",
    "KNOWHOW_HOST",
    "KNOWHOW_PORT",
}


def env_file(path: Path = ENV_FILE) -> dict[str, str]:
    """KEY=value lines, as systemd's EnvironmentFile= reads them (no quotes used here)."""
    settings = {}
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, sep, value = line.partition("=")
            assert sep, f"{path.name}: not KEY=value: {line!r}"
            settings[name] = value
    return settings


def site_settings() -> dict[str, str]:
    """The example environment file's settings that describe the site, not the machine."""
    return {k: v for k, v in env_file().items() if k not in MACHINE_SPECIFIC}


def unit(name: str) -> dict[str, list[str]]:
    """A unit file's settings, each with every value it was given."""
    settings: dict[str, list[str]] = {}
    for line in (UNITS / name).read_text().splitlines():
        match = re.match(r"^([A-Za-z]+)=(.*)$", line)
        if match:
            settings.setdefault(match.group(1), []).append(match.group(2))
    return settings


def exec_start(name: str, knowhow: str) -> list[str]:
    """The unit's command, with the knowhow program installed where the test has it."""
    (command,) = unit(name)["ExecStart"]
    words = shlex.split(command)
    assert words[0] == INSTALLED_KNOWHOW, f"{name} runs {words[0]}"
    return [knowhow, *words[1:]]
