"""The knowhow command as an operator runs it: import from the shell, serve for real."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.site_folder import prepare

pytestmark = pytest.mark.same_in_both_passes

KNOWHOW = shutil.which("knowhow", path=str(Path(sys.executable).parent)) or "knowhow"


def _env(var_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env["KNOWHOW_VAR_DIR"] = str(var_dir)
    return env


def wait_until_serving(base: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    """Wait for `knowhow serve` to answer; a busy test machine can take tens of seconds."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(base + "/", timeout=1).close()
            return
        except OSError as exc:
            if server.poll() is not None:
                output = server.stdout.read().decode() if server.stdout else ""
                raise RuntimeError(f"knowhow serve exited: {output}") from exc
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_import_from_the_shell_names_the_bad_file(tmp_path: Path) -> None:
    env = _env(tmp_path / "var")
    subprocess.run([KNOWHOW, "migrate", "-v0"], env=env, check=True, timeout=120)
    bad = tmp_path / "broken.md"
    bad.write_text("---\ntitle: [oops\n---\nbody\n")
    result = subprocess.run(
        [KNOWHOW, "import", str(bad)], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert "broken.md:2: bad front matter" in result.stderr
    assert "0 imported, 0 updated, 0 unchanged, 1 file(s) refused" in result.stderr


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("served") / "var"
    env = _env(var_dir)
    prepare(env)
    port = _free_port()
    server = subprocess.Popen(
        [KNOWHOW, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_served_article_page_with_static_files(served: str) -> None:
    with urllib.request.urlopen(served + "/articles/what-are-involuntary-muscle-spasms/") as page:
        html = page.read().decode()
        assert page.status == 200
    assert "What are Involuntary Muscle Spasms?" in html
    assert "Discuss this Article" in html
    css = html.split('rel="stylesheet" href="')[1].split('"')[0]
    assert css.startswith("/static/knowhow/site.") and css != "/static/knowhow/site.css"
    with urllib.request.urlopen(served + css) as response:
        assert response.status == 200
        assert "immutable" in response.headers["Cache-Control"]


def test_served_site_is_not_in_debug_mode(served: str) -> None:
    with pytest.raises(urllib.error.HTTPError) as raised:
        urllib.request.urlopen(served + "/no-such-page/")
    assert raised.value.code == 404
    body = raised.value.read().decode()
    assert "Page not found" in body and "Traceback" not in body and "URLconf" not in body


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("KNOWHOW_WORKERS", "two", "KNOWHOW_WORKERS must be a whole number; got 'two'"),
        ("KNOWHOW_PORT", "80a", "KNOWHOW_PORT must be a whole number; got '80a'"),
        ("KNOWHOW_PORT", "70000", "KNOWHOW_PORT must be between 1 and 65535; got 70000"),
        ("KNOWHOW_WORKERS", "0", "KNOWHOW_WORKERS must be between 1"),
        ("KNOWHOW_THREADS", "-3", "KNOWHOW_THREADS must be between 1 and 64; got -3"),
        (
            "KNOWHOW_TASK_WORKER",
            "sometimes",
            "KNOWHOW_TASK_WORKER must be one of 1/0, true/false, yes/no, on/off; got 'sometimes'",
        ),
    ],
)
def test_serve_names_a_bad_setting_in_one_line(
    tmp_path: Path, name: str, value: str, message: str
) -> None:
    env = {**_env(tmp_path / "var"), name: value}
    result = subprocess.run(
        [KNOWHOW, "serve", "--no-collectstatic", "--no-worker"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"knowhow: {message}")
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


@contextmanager
def demo_server(env: dict[str, str], log: Path) -> Iterator[str]:
    """`knowhow serve` (one process, no task worker) on the demo site; yields its address
    once /healthz answers, and stops it after the block. Its output goes to log."""
    prepare(env, capture_output=True)
    port = _free_port()
    with log.open("wb") as out:
        server = subprocess.Popen(
            [KNOWHOW, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
            env=env, stdout=out, stderr=subprocess.STDOUT, process_group=0,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                assert server.poll() is None, log.read_text()
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _raw_request(base: str, head: str, body_chunks: list[bytes] = ()) -> tuple[str, float]:  # type: ignore[assignment]
    """Send a request by hand; the status line and how long the answer took."""
    host, port = base.removeprefix("http://").split(":")
    started = time.monotonic()
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(head.encode())
        for chunk in body_chunks:
            try:
                sock.sendall(chunk)
            except OSError:
                break  # the server closed on us: what a refusal does
        answer = sock.recv(65536).decode(errors="replace")
    return answer.partition("\r\n")[0], time.monotonic() - started


def test_a_huge_body_is_refused_before_it_is_sent(served: str) -> None:
    # 100 MB declared, not a byte of it sent: the answer must not wait for the body.
    status, took = _raw_request(
        served,
        "POST /articles/what-are-involuntary-muscle-spasms/posts/ HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=x\r\n"
        f"Content-Length: {100 * 1024 * 1024}\r\n\r\n",
    )
    assert status.endswith("413 Request Entity Too Large") or " 413 " in status
    assert took < 5
    with urllib.request.urlopen(served + "/") as page:
        assert page.status == 200


def test_a_chunked_body_without_a_length_is_not_read_into_the_site(served: str) -> None:
    chunk = b"x" * (1024 * 1024)
    body = [b"%x\r\n%s\r\n" % (len(chunk), chunk) for _ in range(20)] + [b"0\r\n\r\n"]
    status, took = _raw_request(
        served,
        "POST /articles/what-are-involuntary-muscle-spasms/posts/ HTTP/1.1\r\n"
        "Host: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
        "Transfer-Encoding: chunked\r\n\r\n",
        body,
    )
    # Django reads no body it cannot measure: the form arrives empty and is refused.
    assert status.split()[1].startswith("4"), status
