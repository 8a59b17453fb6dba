"""The shipped nginx site sends pictures from the media folder itself, with the headers
`knowhow serve` gives them, and nothing else from there."""

from __future__ import annotations

import pytest

from tests.nginx_site import Site, site

__all__ = ["site"]

NAME = "images/ab/ab12cd34ef56ab12cd34ef56-320w.jpg"


@pytest.fixture(scope="module")
def stored(site: Site) -> bytes:
    media = site.var_dir / "media"
    (media / "images" / "ab").mkdir(parents=True, exist_ok=True)
    data = b"\xff\xd8\xff\xe0 a picture"
    (media / NAME).write_bytes(data)
    (media / "images" / ".hidden.jpg").write_bytes(data)
    (media / "notes.html").write_text("<script>alert(1)</script>")
    (site.var_dir / "secret_key.jpg").write_bytes(b"not for readers")
    return data


def test_a_picture_is_sent_from_disk_cached_for_a_year(site: Site, stored: bytes) -> None:
    response, body = site.request("GET", f"/media/{NAME}")
    assert response.status == 200 and body == stored
    assert response.headers["Content-Type"] == "image/jpeg"
    assert response.headers.get_all("Cache-Control") == ["public, max-age=31536000, immutable"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret_key.jpg",
        "/media/%2e%2e/secret_key.jpg",
        "/media/images/%2E%2E/%2e%2e/secret_key.jpg",
        "/media/images/.hidden.jpg",
        "/media/notes.html",
        "/media/images/",
        "/media/",
    ],
)
def test_nothing_else_is_sent(site: Site, stored: bytes, path: str) -> None:
    response, body = site.request("GET", path)
    assert response.status in (400, 404), path
    assert b"not for readers" not in body and b"alert(1)" not in body
    assert b"Index of" not in body
