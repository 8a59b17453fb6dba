"""`knowhow serve` refuses, in one line, a database it cannot reach or that lacks migrations,
refuses absurd counts, and says what it runs with (never a password), loudly when debug is
on."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from knowhow.server import preflight
from knowhow.server.management.commands import serve
from knowhow.server.preflight import DEBUG_WARNING
from tests.test_serve import KNOWHOW, _env
from tests.test_serve_worker import fake_processes  # noqa: F401 - the fixture


def _serve(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [KNOWHOW, "serve", "--no-collectstatic", *args],
        env={**_env(tmp_path / "var"), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def _one_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.mark.same_in_both_passes
def test_an_unmigrated_database_is_refused_with_what_to_run(tmp_path: Path) -> None:
    line = _one_line(_serve(tmp_path))
    assert "the database lacks" in line and "run `knowhow migrate` first" in line


@pytest.mark.same_in_both_passes
def test_a_database_that_does_not_answer_is_refused_without_its_password(
    tmp_path: Path,
) -> None:
    url = "postgres://site:pw-never-shown@127.0.0.1:1/knowhow_site"
    line = _one_line(_serve(tmp_path, KNOWHOW_DATABASE_URL=url))
    assert "cannot reach the database (PostgreSQL knowhow_site on 127.0.0.1:1 as site)" in line
    assert "pw-never-shown" not in line


@pytest.mark.same_in_both_passes
@pytest.mark.parametrize(
    ("option", "message"),
    [
        (("--workers", "500"), "argument --workers: must be between 1 and"),
        (("--workers", "0"), "argument --workers: must be between 1 and"),
        (("--threads", "-2"), "argument --threads: must be between 1 and 64; got -2"),
        (("--port", "80a"), "argument --port: must be a whole number; got '80a'"),
    ],
)
def test_absurd_options_are_refused(tmp_path: Path, option: tuple[str, str], message: str) -> None:
    result = _serve(tmp_path, *option)
    assert result.returncode == 2
    assert message in result.stderr and "Traceback" not in result.stderr


def _said(settings: Any, **changes: Any) -> str:
    for name, value in changes.items():
        setattr(settings, name, value)
    out = io.StringIO()
    call_command("serve", "--no-collectstatic", "--workers", "2", "--threads", "3", stdout=out)
    return out.getvalue()


def test_serve_says_what_it_runs_with(settings: Any, fake_processes: Any) -> None:  # noqa: F811
    said = _said(settings, SITE_URL="https://example.org", CACHES=settings.CACHES)
    assert "knowhow: database: " in said
    assert "knowhow: cache: " in said
    assert "knowhow: server: 2 processes × 3 threads, supervised task worker" in said
    assert "knowhow: site URL: https://example.org" in said
    assert f"knowhow: data folder: {settings.VAR_DIR}" in said
    assert "knowhow: mail: " in said
    assert DEBUG_WARNING not in said


def test_serve_warns_loudly_when_debug_is_on(settings: Any, fake_processes: Any) -> None:  # noqa: F811
    assert f"knowhow: {DEBUG_WARNING}" in _said(settings, DEBUG=True)
    assert DEBUG_WARNING.startswith("WARNING: DEBUG IS ON (KNOWHOW_DEBUG)")


def test_serve_names_the_mail_server_without_its_password(
    settings: Any,
    fake_processes: Any,  # noqa: F811
) -> None:
    said = _said(
        settings,
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="mail.example.org",
        EMAIL_PORT=587,
        EMAIL_USE_TLS=True,
        EMAIL_HOST_PASSWORD="mail-secret",
    )
    assert "knowhow: mail: sent by SMTP to mail.example.org:587 (STARTTLS)" in said
    assert "mail-secret" not in said


def test_a_reload_says_when_the_new_code_needs_migrations(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def unmigrated() -> None:
        raise CommandError("the database lacks 1 migration(s) this version needs: run it")

    monkeypatch.setattr(preflight, "database_ready", unmigrated)
    serve.say_if_database_unready()
    (line,) = caplog.records
    assert line.levelname == "ERROR"
    assert line.getMessage() == (
        "reloading, but the database lacks 1 migration(s) this version needs: run it"
    )
