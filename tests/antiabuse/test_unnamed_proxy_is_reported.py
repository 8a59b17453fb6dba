"""Readers arriving through a proxy the site was not told about all share the proxy's
address: the first such request logs one warning, and `check --deploy` and the next start
of `knowhow serve` say so, until KNOWHOW_TRUSTED_PROXY_COUNT is set."""

from __future__ import annotations

import subprocess
import urllib.request
from pathlib import Path

import pytest

from tests.test_serve import KNOWHOW, _env, demo_server

pytestmark = pytest.mark.same_in_both_passes

WARNING = "requests arrive through a proxy (X-Forwarded-For) but KNOWHOW_TRUSTED_PROXY_COUNT"


def _through_a_proxy(base: str) -> None:
    for reader in ("203.0.113.5", "198.51.100.7"):
        ask = urllib.request.Request(base + "/search/", headers={"X-Forwarded-For": reader})
        urllib.request.urlopen(ask, timeout=10).read()


def test_a_proxy_without_a_count_is_reported_once_then_at_start_and_by_check_deploy(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path / "var")
    log = tmp_path / "first.log"
    with demo_server(env, log) as base:
        _through_a_proxy(base)
    said = log.read_text()
    assert said.count(WARNING) == 1, said
    assert "reader addresses: the connecting address (no proxy" in said

    checked = subprocess.run(
        [KNOWHOW, "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120
    )
    assert "(knowhow.W003) KNOWHOW_TRUSTED_PROXY_COUNT is not set but requests came" in (
        checked.stdout + checked.stderr
    )

    again = tmp_path / "again.log"
    with demo_server(env, again):
        pass
    assert "reader addresses: WARNING: the proxy's for every reader" in again.read_text()

    counted = {**env, "KNOWHOW_TRUSTED_PROXY_COUNT": "1"}
    told = tmp_path / "told.log"
    with demo_server(counted, told) as base:
        _through_a_proxy(base)
    assert WARNING not in told.read_text()
    assert "reader addresses: from X-Forwarded-For, 1 proxy trusted" in told.read_text()
    checked = subprocess.run(
        [KNOWHOW, "check", "--deploy"], env=counted, capture_output=True, text=True, timeout=120
    )
    assert "knowhow.W003" not in checked.stdout + checked.stderr


def test_behind_the_https_proxy_without_a_count_check_deploy_warns(tmp_path: Path) -> None:
    env = {**_env(tmp_path / "var"), "KNOWHOW_BEHIND_HTTPS_PROXY": "true"}
    checked = subprocess.run(
        [KNOWHOW, "check", "--deploy"], env=env, capture_output=True, text=True, timeout=120
    )
    assert "(knowhow.W003) KNOWHOW_TRUSTED_PROXY_COUNT is not set but the site is behind" in (
        checked.stdout + checked.stderr
    )
