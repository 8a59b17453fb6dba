"""`knowhow serve` sends the media folder's pictures itself (no proxy in front), and only
those."""

from __future__ import annotations

import http.client
from email.message import Message
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.test_serve import _env, demo_server

pytestmark = pytest.mark.same_in_both_passes

NAME = "images/cd/cd34ef56ab12cd34ef56ab12-640w.webp"


def _get(base: str, path: str) -> tuple[int, Message, bytes]:
    address = urlsplit(base)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    try:
        connection.request("GET", path)  # sent as written: nothing tidies the dots away
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("media_url", ["", "/pictures/"])
def test_pictures_are_served_with_long_cache_headers(tmp_path: Path, media_url: str) -> None:
    var_dir = tmp_path / "var"
    env = _env(var_dir)
    if media_url:
        env["KNOWHOW_MEDIA_URL"] = media_url
    prefix = media_url or "/media/"
    picture = var_dir / "media" / NAME
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"RIFF\x10\x00\x00\x00WEBPVP8 a picture")
    with demo_server(env, tmp_path / "server.log") as base:
        status, headers, body = _get(base, prefix + NAME)
        assert status == 200 and body == picture.read_bytes()
        assert headers["Content-Type"] == "image/webp"
        assert headers["Cache-Control"] == "public, max-age=31536000, immutable"
        assert headers["X-Content-Type-Options"] == "nosniff"
        for path in (
            f"{prefix}../secret_key",
            f"{prefix}%2e%2e/secret_key",
            f"{prefix}images/",
            f"{prefix}..%2fknowhow.sqlite3",
        ):
            status, _, body = _get(base, path)
            assert status in (400, 404), path
            assert b"SQLite format" not in body
            assert (var_dir / "secret_key").read_bytes() not in body
