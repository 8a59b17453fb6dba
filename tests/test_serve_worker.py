"""`knowhow serve` runs the task worker beside the web server, and stops it when it stops."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from knowhow.server import supervision
from knowhow.server.management.commands import serve
from tests.site_folder import prepare
from tests.test_serve import KNOWHOW, _env, _free_port

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = pytest.mark.timing

# Run in `knowhow shell` inside the served site's database: a reader who asked for reply
# emails (and confirmed the address) posts, another replies. The reply is queued; only the
# worker can send it.
CONVERSATION = """
from django.contrib.auth.models import User
from django.utils import timezone
from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion.services import post_comment
from knowhow.notifications.confirmations import confirm_address
from knowhow.notifications.services import set_reply_emails
article = Article.objects.create(
    title="Why do Cats Purr?", topic=Topic.objects.create(name="Pets"),
    written_by=Person.objects.create(name="Pat Writer"), body="Nobody is quite sure.",
    status="published", published_at=timezone.now(),
)
asker = User.objects.create_user("asker", "asker@example.org", "correct horse 42")
confirm_address(email=asker.email)
set_reply_emails(user=asker, on=True)
helper = User.objects.create_user("helper", "helper@example.org", "correct horse 42")
post_comment(article=article, body="Mine purrs when it is ill. Why?", author=asker)
post_comment(article=article, body="Purring may help them heal.", author=helper, reply_to=1)
"""


def _wait_for(condition: Any, seconds: float, what: str) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {seconds}s waiting for {what}")


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "State:\tZ" not in status  # a zombie has exited


@pytest.mark.same_in_both_passes
def test_served_site_sends_a_queued_reply_email_through_its_worker(tmp_path: Path) -> None:
    var_dir = tmp_path / "var"
    env = _env(var_dir)
    prepare(env, [("migrate", "-v0")])
    port = _free_port()
    log_path = tmp_path / "serve.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(
            [KNOWHOW, "serve", "--port", str(port), "--workers", "1"],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    worker_pid = None
    try:

        def site_answers() -> bool:
            assert server.poll() is None, log_path.read_text()
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=1)
            except OSError:
                return False
            return True

        _wait_for(site_answers, 30, "the site to answer")
        started = re.search(r"task worker started \(pid (\d+)\)", log_path.read_text())
        assert started, log_path.read_text()
        worker_pid = int(started.group(1))
        assert _running(worker_pid)

        subprocess.run([KNOWHOW, "shell", "-c", CONVERSATION], env=env, check=True, timeout=60)
        mail_dir = var_dir / "mail"

        def written() -> list[Path]:
            # The file backend creates the file before it writes the message into it.
            found = list(mail_dir.glob("*")) if mail_dir.is_dir() else []
            return found if found and all(p.read_text().endswith("\n") for p in found) else []

        (message,) = _wait_for(written, 60, "the email")
        text = message.read_text()
        assert "To: asker@example.org" in text
        assert "helper replied to your Post 1" in text
        assert "/articles/why-do-cats-purr/posts/2/" in text
        assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in text
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert worker_pid is not None
    _wait_for(lambda: not _running(worker_pid), 40, "the worker to stop with the server")


class _FakeGranian:
    """Stands in for granian: serving "ends" at once, or fails as a broken server would."""

    fail = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        pass

    def on_reload(self, hook: Any) -> None:
        pass

    def serve(self) -> None:
        if _FakeGranian.fail:
            raise OSError("address already in use")


started: list[_FakeWorker] = []


class _FakeWorker:
    def __init__(self, command: list[str], **kwargs: Any) -> None:
        self.command, self.kwargs, self.pid = command, kwargs, 4242
        self.stopped = False
        started.append(self)

    def poll(self) -> int | None:
        return 0 if self.stopped else None

    def terminate(self) -> None:
        self.stopped = True

    def wait(self, timeout: float | None = None) -> int:
        if not self.stopped:  # a worker runs until it is told to stop
            raise subprocess.TimeoutExpired(self.command, timeout or 0)
        return 0


@pytest.fixture
def fake_processes(db: None, monkeypatch: pytest.MonkeyPatch) -> list[_FakeWorker]:
    import granian

    monkeypatch.setattr(granian, "Granian", _FakeGranian)
    monkeypatch.setattr(supervision.subprocess, "Popen", _FakeWorker)
    # The fakes stand for the server; the database checks are real, in the test's
    # transaction, which must stay open.
    monkeypatch.setattr(serve.connections, "close_all", lambda: None)
    # serve sets KNOWHOW_PORT for the processes it starts: put it back afterwards.
    monkeypatch.setenv("KNOWHOW_PORT", "8000")
    monkeypatch.setenv("KNOWHOW_SERVE_PID", "")
    monkeypatch.setattr(_FakeGranian, "fail", False)
    started.clear()
    return started


def _serve(*options: str) -> None:
    call_command("serve", "--no-collectstatic", *options, stdout=io.StringIO())


def test_serve_starts_the_worker_with_the_same_python_and_environment(
    fake_processes: list[_FakeWorker],
) -> None:
    _serve()
    (worker,) = fake_processes
    assert worker.command == [
        sys.executable, "-m", "knowhow", "db_worker", "--no-reload", "--parent", str(os.getpid())
    ]  # fmt: skip
    assert worker.kwargs["env"] == dict(os.environ)
    assert worker.stopped


def test_serve_stops_the_worker_when_the_server_fails(fake_processes: list[_FakeWorker]) -> None:
    _FakeGranian.fail = True
    with pytest.raises(OSError, match="address already in use"):
        _serve()
    (worker,) = fake_processes
    assert worker.stopped


def test_serve_without_worker_starts_none(fake_processes: list[_FakeWorker]) -> None:
    _serve("--no-worker")
    assert fake_processes == []


def test_serve_starts_no_worker_when_tasks_do_not_use_the_database_queue(
    fake_processes: list[_FakeWorker], settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    _serve()
    assert fake_processes == []
