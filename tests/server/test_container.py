"""The container files: the image's health check asks a host the site answers to, the
compose file runs the site, its worker, PostgreSQL and Redis in order, and where a container
tool works the image is built and run for real."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml

from tests.nginx_site import HOST, Site, site
from tests.server.deploy_files import DEPLOY
from tests.test_serve import _free_port

__all__ = ["site"]

ROOT = DEPLOY.parent
CONTAINER = DEPLOY / "container"


def _health(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    script = str(CONTAINER / "healthcheck.py")
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    return subprocess.run(
        [sys.executable, script], env={**clean, **env}, capture_output=True, text=True, timeout=30
    )


def test_health_check_passes_for_a_site_that_answers_only_to_its_name(site: Site) -> None:
    # The site answers to example.org alone: asking as "localhost" would get 400.
    answered = _health({"KNOWHOW_PORT": str(site.app_port), "KNOWHOW_ALLOWED_HOSTS": HOST})
    assert answered.returncode == 0, answered.stderr


def test_health_check_fails_when_nothing_answers() -> None:
    answered = _health({"KNOWHOW_PORT": str(_free_port()), "KNOWHOW_ALLOWED_HOSTS": HOST})
    assert answered.returncode == 1
    assert "healthz:" in answered.stderr


def test_image_runs_as_its_own_user_with_a_data_volume_and_a_health_check() -> None:
    lines = [
        line.strip() for line in (CONTAINER / "Containerfile").read_text().splitlines() if line
    ]
    assert "FROM python:3.11-slim" in lines
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in ("root", "0")
    assert "VOLUME /data" in lines
    assert 'ENTRYPOINT ["knowhow"]' in lines and 'CMD ["serve"]' in lines
    assert any(line.startswith("HEALTHCHECK") for line in lines)
    # The build context sends only what the image copies in.
    ignore = (ROOT / ".dockerignore").read_text().splitlines()
    assert ignore[ignore.index("*") + 1 :][:5] == [
        "!pyproject.toml",
        "!README.md",
        "!src/",
        "!deploy/container/healthcheck.py",
        "**/__pycache__",
    ]


def test_compose_runs_site_worker_database_and_cache_in_order() -> None:
    compose = yaml.safe_load((CONTAINER / "compose.yaml").read_text())
    services = compose["services"]
    assert set(services) == {"app", "worker", "migrate", "db", "redis"}
    for name in ("db", "redis"):
        assert services[name]["healthcheck"]["test"]
    for name in ("app", "worker"):
        service = services[name]
        assert service["restart"] == "always"
        assert service["depends_on"] == {
            "db": {"condition": "service_healthy"},
            "redis": {"condition": "service_healthy"},
            "migrate": {"condition": "service_completed_successfully"},
        }
        assert service["volumes"] == ["data:/data"]
        assert service["environment"]["KNOWHOW_DATABASE_URL"].endswith("@db:5432/knowhow")
        assert service["environment"]["KNOWHOW_CACHE_URL"] == "redis://redis:6379/0"
    # The site leaves the queue to the worker, whose check is off (it serves nothing).
    assert services["app"]["command"] == ["serve", "--no-worker"]
    assert services["worker"]["command"] == ["db_worker", "--no-reload"]
    assert services["worker"]["healthcheck"] == {"disable": True}
    assert "healthcheck" not in services["app"]  # the image's own check of /healthz
    assert services["migrate"]["command"] == ["migrate", "--noinput"]


def _container_tool() -> str | None:
    for tool in ("docker", "podman"):
        found = shutil.which(tool)
        if (
            found
            and subprocess.run([found, "info"], capture_output=True, timeout=60).returncode == 0
        ):
            return found
    return None


def test_compose_file_is_valid_for_the_container_tool(tmp_path: Path) -> None:
    tool = _container_tool()
    if tool is None:
        pytest.skip("no working container tool (`docker info` fails)")
    env_file = CONTAINER / "knowhow.env"
    created = not env_file.exists()
    if created:
        shutil.copy(DEPLOY / "knowhow.env.example", env_file)
    try:
        checked = subprocess.run(
            [tool, "compose", "-f", str(CONTAINER / "compose.yaml"), "config", "-q"],
            env={**os.environ, "KNOWHOW_DB_PASSWORD": secrets.token_urlsafe(12)},
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        if created:
            env_file.unlink()
    if "is not a docker command" in checked.stderr or "unknown command" in checked.stderr:
        pytest.skip(f"{tool} has no compose command")
    assert checked.returncode == 0, checked.stderr


@pytest.mark.container
def test_image_builds_and_serves_healthz() -> None:
    if os.environ.get("KNOWHOW_DATABASE_URL"):
        pytest.skip("the image is built and run once, in the SQLite pass")
    tool = _container_tool()
    if tool is None:
        pytest.skip("no working container tool (`docker info` fails)")
    tag, name = "knowhow-test:latest", f"knowhow-test-{secrets.token_hex(4)}"
    volume = name + "-data"
    containerfile = str(CONTAINER / "Containerfile")
    built = subprocess.run(
        [tool, "build", "-f", containerfile, "-t", tag, str(ROOT)],
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    port = _free_port()
    try:
        migrated = subprocess.run(
            [tool, "run", "--rm", "-v", f"{volume}:/data", tag, "migrate", "-v0"],
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert migrated.returncode == 0, migrated.stderr
        started = subprocess.run(
            [tool, "run", "-d", "--name", name, "-p", f"127.0.0.1:{port}:8000",
             "-v", f"{volume}:/data", "--health-interval", "2s", tag],
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert started.returncode == 0, started.stderr
        body = b""
        for _ in range(120):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    body = r.read()
                    break
            except OSError:
                time.sleep(0.5)
        assert json.loads(body)["status"] == "ok", _logs(tool, name)
        status = ""
        for _ in range(60):
            status = _inspect(tool, name, "{{.State.Health.Status}}")
            if status == "healthy":
                break
            time.sleep(1)
        assert status == "healthy", _logs(tool, name)
        uid = subprocess.run(
            [tool, "exec", name, "id", "-u"], capture_output=True, text=True, timeout=60
        )
        assert uid.stdout.strip() not in ("", "0")
    finally:
        subprocess.run([tool, "rm", "-f", name], capture_output=True, timeout=120)
        subprocess.run([tool, "volume", "rm", "-f", volume], capture_output=True, timeout=120)


def _inspect(tool: str, name: str, template: str) -> str:
    shown = subprocess.run(
        [tool, "inspect", "--format", template, name], capture_output=True, text=True, timeout=60
    )
    return shown.stdout.strip()


def _logs(tool: str, name: str) -> str:
    shown = subprocess.run([tool, "logs", name], capture_output=True, text=True, timeout=60)
    return shown.stdout[-3000:] + shown.stderr[-3000:]
