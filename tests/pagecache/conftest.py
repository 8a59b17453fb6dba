"""The page cache in front of Django, called the way a WSGI server calls it."""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.core.wsgi import get_wsgi_application

from knowhow.pagecache.wsgi import PageCache


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    cookies: list[str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode()

    @property
    def cache(self) -> str:
        return self.headers.get("x-cache", "")


@dataclass
class Clock:
    now: float = field(default_factory=lambda: __import__("time").time())

    def __call__(self) -> float:
        return self.now


class Server:
    """One server process's page cache, and a browser's cookies for it."""

    def __init__(self, clock: Clock) -> None:
        self.app = PageCache(get_wsgi_application(), clock=clock)

    def request(
        self,
        path: str,
        method: str = "GET",
        cookies: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        data: dict[str, str] | None = None,
    ) -> Answer:
        path, _, query = path.partition("?")
        body = urlencode(data or {}).encode()
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "192.0.2.10",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
        }
        if cookies:
            environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        for name, value in (headers or {}).items():
            environ["HTTP_" + name.upper().replace("-", "_")] = value
        seen: dict[str, Any] = {}

        def start_response(
            status: str, headers: list[tuple[str, str]], exc_info: Any = None
        ) -> Any:
            seen["status"], seen["headers"] = status, headers
            return lambda data: None

        chunks = self.app(environ, start_response)
        content = b"".join(chunks)
        close = getattr(chunks, "close", None)
        if close:
            close()
        raw = seen["headers"]
        return Answer(
            status=int(seen["status"].split()[0]),
            headers={k.lower(): v for k, v in raw if k.lower() != "set-cookie"},
            cookies=[v for k, v in raw if k.lower() == "set-cookie"],
            body=content,
        )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(clock: Clock, transactional_db: None) -> Server:
    return Server(clock)


@pytest.fixture
def other_server(clock: Clock, transactional_db: None) -> Server:
    """A second process's cache: its own memory, the same shared versions."""
    return Server(clock)


@pytest.fixture
def make_server(clock: Clock, transactional_db: None) -> Callable[[], Server]:
    return lambda: Server(clock)
