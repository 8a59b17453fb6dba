"""deploy/knowhow.env.example: copied as it is, `check --deploy` says what to fill in;
filled in with a site's own services, it passes and says what it found at each."""

from __future__ import annotations

import secrets
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server.deploy_files import env_file
from tests.smtp_server import MailServer, free_port
from tests.test_serve import KNOWHOW, _env

pytestmark = pytest.mark.same_in_both_passes

MACHINE_POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
MACHINE_REDIS = "redis://127.0.0.1:6379/7"


def _check_deploy(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {**_env(tmp_path / "var"), **settings, "KNOWHOW_VAR_DIR": str(tmp_path / "var")}
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; no site has it
    return subprocess.run(
        [KNOWHOW, "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def mail_server() -> Iterator[MailServer]:
    server = MailServer(free_port())
    server.start()
    yield server
    server.stop()


def _filled_in(mail_server: MailServer) -> dict[str, str]:
    return env_file() | {
        "KNOWHOW_SECRET_KEY": secrets.token_urlsafe(50),
        "KNOWHOW_DATABASE_URL": MACHINE_POSTGRES,
        "KNOWHOW_CACHE_URL": MACHINE_REDIS,
        "KNOWHOW_EMAIL_URL": f"smtp://127.0.0.1:{mail_server.port}",
    }


def test_the_example_filled_in_passes_and_says_what_it_found(
    tmp_path: Path, mail_server: MailServer
) -> None:
    checked = _check_deploy(tmp_path, **_filled_in(mail_server))
    said = checked.stdout + checked.stderr
    assert checked.returncode == 0, said
    assert "WARNINGS" not in said and "ERRORS" not in said, said
    assert "(knowhow.I001) database: PostgreSQL postgres on 127.0.0.1:5432" in said
    assert "PostgreSQL 1" in said  # the server's version, as it answered
    assert "(knowhow.I002) cache: Redis" in said and "written and read back" in said
    assert f"(knowhow.I003) mail: sent by SMTP to 127.0.0.1:{mail_server.port}" in said


def test_the_untouched_example_fails_naming_what_to_fill_in(tmp_path: Path) -> None:
    checked = _check_deploy(tmp_path, **env_file())
    said = checked.stdout + checked.stderr
    assert checked.returncode == 1
    assert "knowhow.E002" in said
    for name in ("KNOWHOW_SECRET_KEY", "KNOWHOW_DATABASE_URL", "KNOWHOW_EMAIL_URL"):
        assert name in said.split("knowhow.E002")[1].splitlines()[0]
    assert "security.W009" in said


def test_services_that_do_not_answer_are_each_reported(tmp_path: Path) -> None:
    settings = _filled_in(MailServer(free_port()))  # a mail server never started
    settings["KNOWHOW_DATABASE_URL"] = MACHINE_POSTGRES.rsplit("/", 1)[0] + "/no_such_site"
    settings["KNOWHOW_CACHE_URL"] = f"redis://127.0.0.1:{free_port()}/0"
    checked = _check_deploy(tmp_path, **settings)
    said = checked.stdout + checked.stderr
    assert checked.returncode == 1
    database = said.split("(knowhow.E011) ")[1].splitlines()[0]
    assert 'database "no_such_site" does not exist' in database
    cache = said.split("(knowhow.E012) ")[1].splitlines()[0]
    assert cache.startswith("cache: Redis") and "onnect" in cache
    mail = said.split("(knowhow.E013) ")[1].splitlines()[0]
    assert mail.startswith("mail: sent by SMTP") and "refused" in mail


def test_plain_http_behind_the_https_proxy_and_any_host_are_flagged(tmp_path: Path) -> None:
    settings = env_file() | {
        "KNOWHOW_SECRET_KEY": secrets.token_urlsafe(50),
        "KNOWHOW_SITE_URL": "http://example.org",
        "KNOWHOW_ALLOWED_HOSTS": "*",
    }
    checked = _check_deploy(tmp_path, **settings)
    said = checked.stdout + checked.stderr
    assert "(knowhow.E003) KNOWHOW_SITE_URL (http://example.org) is http://" in said
    assert "(knowhow.W002) KNOWHOW_ALLOWED_HOSTS holds '*'" in said
