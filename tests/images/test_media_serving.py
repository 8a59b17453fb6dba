"""The media folder as `knowhow serve` answers it: pictures with long-lived headers, and
nothing else, whatever the address tries."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from knowhow.images.models import Image
from tests.images.conftest import Server

pytestmark = pytest.mark.django_db

YEAR = "public, max-age=31536000, immutable"


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A file beside the media folder that must never be served."""
    path = tmp_path / "secret.jpg"
    path.write_bytes(b"\xff\xd8 not for readers")
    return path


def test_a_copy_is_served_with_its_type_and_long_cache_headers(
    photo: Image, client: Client
) -> None:
    for rendition in photo.renditions:
        response = client.get(f"/media/{rendition['name']}")
        assert response.status_code == 200
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == YEAR
        assert response["X-Content-Type-Options"] == "nosniff"
        body = b"".join(response.streaming_content)  # type: ignore[attr-defined]
        assert body == (Path(settings.MEDIA_ROOT) / str(rendition["name"])).read_bytes()
    assert client.head(f"/media/{photo.file.name}").status_code == 200
    assert client.post(f"/media/{photo.file.name}").status_code == 405


def test_a_transparent_copy_is_served_as_webp(client: Client, db: None) -> None:
    from knowhow.images.services import upload_image
    from tests.images import pictures

    image = upload_image(
        file=pictures.upload(pictures.png(400, 200, transparent=True), "a.png"), alt="A", by=None
    )
    response = client.get(f"/media/{image.renditions[0]['name']}")
    assert response["Content-Type"] == "image/webp"
    assert client.get(f"/media/{image.file.name}")["Content-Type"] == "image/png"


@pytest.mark.parametrize(
    "path",
    [
        "/media/../secret.jpg",
        "/media/images/../../secret.jpg",
        "/media/%2e%2e/secret.jpg",
        "/media/%2E%2E/%2e%2e/secret.jpg",
        "/media/images/%2e%2e%2f%2e%2e%2fsecret.jpg",
        "/media/..%5csecret.jpg",
        "/media//etc/passwd",
        "/media/%2fetc%2fpasswd",
        "/media/images/",
        "/media/images",
        "/media/",
        "/media/.hidden.jpg",
        "/media/notes.html",
        "/media/outside.jpg",
    ],
)
def test_nothing_but_a_picture_inside_the_folder_is_served(
    path: str, photo: Image, secret: Path, client: Client
) -> None:
    media = Path(settings.MEDIA_ROOT)
    (media / ".hidden.jpg").write_bytes(b"\xff\xd8 hidden")
    (media / "notes.html").write_text("<script>alert(1)</script>")
    (media / "outside.jpg").symlink_to(secret)
    response = client.get(path)
    assert response.status_code == 404, path
    assert b"not for readers" not in response.content
    assert b"<script>alert" not in response.content
    assert b"Index of" not in response.content


@pytest.mark.parametrize(
    "path_info",
    ["/media/../secret.jpg", "/media/images/../../secret.jpg", "/media/%2e%2e/secret.jpg"],
)
def test_the_wsgi_application_refuses_traversal_too(
    path_info: str, server: Server, photo: Image, secret: Path
) -> None:
    answer = server.request(path_info)
    assert answer.status == 404
    assert b"not for readers" not in answer.body
    ok = server.request(f"/media/{photo.file.name}")
    assert ok.status == 200 and ok.headers["cache-control"] == YEAR
