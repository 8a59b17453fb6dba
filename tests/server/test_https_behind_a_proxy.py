"""Behind an HTTPS proxy the site is HTTPS alone: `check --deploy` is clean under README's
production settings, browsers get HSTS, plain HTTP is redirected; `make serve` stays plain."""

from __future__ import annotations

import json
import re
import secrets
import subprocess
from pathlib import Path

import pytest

from tests.test_serve import KNOWHOW, _env

pytestmark = pytest.mark.same_in_both_passes

CONFIGURATION = Path(__file__).resolve().parents[2] / "docs" / "operators" / "configuration.md"

# Asks the configured site for a page over HTTPS (as the proxy says) and over plain HTTP.
ASK = """
import json
from django.conf import settings
from django.test import Client, override_settings
# Static files are not collected here: their plain storage needs no manifest.
plain_static = {**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
client = Client()
with override_settings(STORAGES=plain_static):
    secure = client.get("/no-such-page/", HTTP_HOST="example.org", HTTP_X_FORWARDED_PROTO="https")
    plain = client.get("/no-such-page/", HTTP_HOST="example.org")
    health = client.get("/healthz", HTTP_HOST="example.org")
print(json.dumps({
    "secure": [secure.status_code, secure.headers.get("Strict-Transport-Security")],
    "plain": [plain.status_code, plain.headers.get("Location")],
    "health": health.status_code,
}))
"""


def production_settings() -> dict[str, str]:
    """The variables the Configuration page lists under "Production settings", with a key of
    our own."""
    text = CONFIGURATION.read_text()
    block = re.search(r"^## Production settings.*?```sh\n(.*?)```", text, re.S | re.M)
    assert block, "docs/operators/configuration.md has no production settings"
    found = dict(re.findall(r"^(KNOWHOW_[A-Z_]+)=(\S*)$", block.group(1), re.M))
    assert {"KNOWHOW_DEBUG", "KNOWHOW_BEHIND_HTTPS_PROXY", "KNOWHOW_SECRET_KEY"} <= set(found)
    return found | {"KNOWHOW_SECRET_KEY": secrets.token_urlsafe(50)}


def _knowhow(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = _env(tmp_path / "var")
    clean.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set for the browser tests; no site has it
    return subprocess.run(  # noqa: S603 - our own command
        [KNOWHOW, *args],
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _answers(tmp_path: Path, **env: str) -> dict[str, object]:
    shown = _knowhow(tmp_path, "shell", "-v0", "-c", ASK, **env)
    assert shown.returncode == 0, shown.stderr
    answers: dict[str, object] = json.loads(shown.stdout.strip().splitlines()[-1])
    return answers


def test_check_deploy_is_clean_under_the_documented_production_settings(tmp_path: Path) -> None:
    checked = _knowhow(tmp_path, "check", "--deploy", **production_settings())
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "WARNINGS" not in checked.stdout + checked.stderr, checked.stdout + checked.stderr
    for warning in ("W004", "W008", "W012", "W016", "W009", "W018", "W020"):
        assert warning not in checked.stdout + checked.stderr


def test_behind_the_proxy_browsers_get_hsts_and_plain_http_is_redirected(tmp_path: Path) -> None:
    answers = _answers(tmp_path, **production_settings())
    assert answers["secure"] == [404, "max-age=31536000"]
    assert answers["plain"] == [301, "https://example.org/no-such-page/"]
    assert answers["health"] != 301  # a proxy's health check over plain HTTP is answered


def test_the_hsts_switches_reach_the_header(tmp_path: Path) -> None:
    answers = _answers(
        tmp_path,
        **production_settings(),
        KNOWHOW_HSTS_SECONDS="600",
        KNOWHOW_HSTS_INCLUDE_SUBDOMAINS="true",
        KNOWHOW_HSTS_PRELOAD="true",
    )
    assert answers["secure"] == [404, "max-age=600; includeSubDomains; preload"]


def test_make_serve_on_plain_http_gets_no_redirect_and_no_hsts(tmp_path: Path) -> None:
    answers = _answers(tmp_path, KNOWHOW_ALLOWED_HOSTS="example.org")
    assert answers["plain"] == [404, None]
    assert answers["secure"] == [404, None]


@pytest.mark.parametrize("value", ["a year", "-1", "9999999999"])
def test_a_bad_hsts_setting_is_named(tmp_path: Path, value: str) -> None:
    checked = _knowhow(tmp_path, "check", KNOWHOW_HSTS_SECONDS=value)
    assert checked.returncode != 0
    assert "KNOWHOW_HSTS_SECONDS" in checked.stderr
