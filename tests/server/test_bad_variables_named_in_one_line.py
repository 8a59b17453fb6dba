"""A variable the site cannot run with is named in one line, with what it expects, by every
command; nothing starts."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.test_serve import KNOWHOW, _env

pytestmark = pytest.mark.same_in_both_passes


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KNOWHOW, *args],
        env={**_env(tmp_path / "var"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("KNOWHOW_DEBUG", "maybe", "KNOWHOW_DEBUG must be one of 1/0, true/false, yes/no, on/off"),
        ("KNOWHOW_PAGE_CACHE_MB", "lots", "KNOWHOW_PAGE_CACHE_MB must be a whole number"),
        ("KNOWHOW_HSTS_SECONDS", "-1", "KNOWHOW_HSTS_SECONDS must be between 0 and"),
        ("KNOWHOW_DATABASE_URL", "oracle2://x", "KNOWHOW_DATABASE_URL has an unknown scheme"),
        ("KNOWHOW_POST_RATE_ANONYMOUS", "often", "KNOWHOW_POST_RATE_ANONYMOUS: 'often' is not"),
        ("KNOWHOW_WORKERS", "two", "KNOWHOW_WORKERS must be a whole number; got 'two'"),
        ("KNOWHOW_FROM_EMAIL", "knowhow at example", "KNOWHOW_FROM_EMAIL must be one address"),
        ("KNOWHOW_ADMINS", "ops@", "KNOWHOW_ADMINS must be addresses such as"),
        ("KNOWHOW_TIME_ZONE", "Europe/Nowhere", "KNOWHOW_TIME_ZONE must be a time zone name"),
        ("KNOWHOW_LOG_LEVEL", "verbose", "KNOWHOW_LOG_LEVEL must be one of DEBUG, INFO"),
        ("KNOWHOW_TRUSTED_PROXY_COUNT", "-1", "KNOWHOW_TRUSTED_PROXY_COUNT must be between 0"),
    ],
)
@pytest.mark.parametrize(
    "command", [("check",), ("check", "--deploy"), ("migrate", "--plan"), ("serve",)]
)
def test_a_bad_variable_stops_any_command_with_one_line(
    tmp_path: Path, command: tuple[str, ...], name: str, value: str, message: str
) -> None:
    result = _run(tmp_path, *command, **{name: value})
    assert result.returncode == 2
    assert result.stderr.startswith(f"knowhow: {message}")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stdout == ""


def test_a_bad_admin_address_is_quoted_as_written(tmp_path: Path) -> None:
    result = _run(tmp_path, "check", KNOWHOW_ADMINS="Ann <ann@example.org>, ops@")
    assert "'ops@' is not one" in result.stderr
