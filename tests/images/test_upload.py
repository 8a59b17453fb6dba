"""Uploading a picture: what is refused (and why), and what is kept of what is accepted."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from PIL import Image as Pillow

from knowhow.images.models import Image
from knowhow.images.services import ImageRejected, upload_image
from tests.images import pictures

pytestmark = pytest.mark.django_db


def _stored_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []


def _refused(data: bytes, name: str, alt: str = "A picture") -> str:
    with pytest.raises(ImageRejected) as refusal:
        upload_image(file=pictures.upload(data, name), alt=alt, by=None)
    assert Image.objects.count() == 0
    assert _stored_files() == []  # nothing half-kept
    return str(refusal.value)


def test_a_picture_without_alt_text_is_refused() -> None:
    assert "alt text" in _refused(pictures.jpeg(), "photo.jpg", alt="   ")


def test_a_file_that_is_no_picture_is_refused() -> None:
    message = _refused(b"Minutes of the meeting, 3 May.\n" * 20, "notes.png")
    assert message == "notes.png is not a picture this site can show."


def test_a_php_script_named_jpg_is_refused() -> None:
    message = _refused(b"<?php system($_GET['c']); ?>\n", "shell.php.jpg")
    assert "shell.php.jpg" in message and "not a picture" in message


def test_svg_is_refused_for_the_scripts_it_may_carry() -> None:
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "scripts" in _refused(svg, "logo.svg")
    with_prolog = b'<?xml version="1.0"?>\n' + svg
    assert "scripts" in _refused(with_prolog, "logo.png")


def test_a_file_over_the_size_cap_is_refused(settings: object) -> None:
    settings.IMAGE_MAX_BYTES = 20_000  # type: ignore[attr-defined]
    big = pictures.jpeg(1600, 1000)
    assert len(big) > 20_000
    message = _refused(big, "huge.jpg")
    assert message.startswith("huge.jpg is 0.") and "at most 0.0 MB" in message


def test_the_size_cap_is_ten_megabytes_unless_set() -> None:
    assert settings.IMAGE_MAX_BYTES == 10 * 1024 * 1024


def test_a_decompression_bomb_is_refused_before_it_is_unpacked() -> None:
    bomb = pictures.png_claiming(100_000, 100_000)
    assert len(bomb) < 200
    message = _refused(bomb, "bomb.png")
    assert "bomb.png unpacks into more pixels than this site takes" in message


@pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
def test_pillows_own_bomb_limit_is_a_refusal_too(
    settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Pillow, "MAX_IMAGE_PIXELS", 10_000)
    message = _refused(pictures.png(200, 100), "wide.png")
    assert "more pixels than this site takes" in message


def test_a_photo_is_kept_upright_without_its_metadata(writer_account: User) -> None:
    exif = pictures.located_exif(orientation=6)  # held on its side: turn 90° clockwise
    original = pictures.jpeg(1600, 1000, exif=exif)
    with Pillow.open(io.BytesIO(original)) as check:
        assert pictures.GPS_IFD in check.getexif()

    image = upload_image(
        file=pictures.upload(original),
        alt="A red bicycle",
        by=writer_account,
        caption=" On a bridge ",
    )

    assert (image.width, image.height) == (1000, 1600)
    assert image.alt == "A red bicycle" and image.caption == "On a bridge"
    assert image.uploaded_by == writer_account
    served = [image.file.name, *(r["name"] for r in image.renditions)]
    for name in served:
        with default_storage.open(name) as stored, Pillow.open(stored) as picture:
            exif_left = picture.getexif()
            assert pictures.GPS_IFD not in exif_left and pictures.MAKE not in exif_left
            assert picture.width < picture.height  # upright
    for name in served:
        assert b"PocketCam" not in default_storage.open(name).read()


def test_copies_are_made_at_each_width_up_to_the_pictures_own() -> None:
    image = upload_image(file=pictures.upload(pictures.jpeg(1000, 600)), alt="Rust", by=None)
    assert [(r["width"], r["height"]) for r in image.renditions] == [
        (320, 192),
        (640, 384),
        (960, 576),
        (1000, 600),
    ]
    for rendition in image.renditions:
        name = str(rendition["name"])
        assert name.endswith(".jpg")
        with default_storage.open(name) as stored, Pillow.open(stored) as picture:
            assert picture.size == (rendition["width"], rendition["height"])
            assert picture.format == "JPEG"


def test_a_big_photo_gets_every_width_and_none_wider_than_1920() -> None:
    image = upload_image(file=pictures.upload(pictures.jpeg(2400, 1200)), alt="Wide", by=None)
    assert [r["width"] for r in image.renditions] == [320, 640, 960, 1280, 1920]
    assert image.largest is not None and image.largest.width == 1920


def test_a_transparent_png_keeps_its_transparency() -> None:
    data = pictures.png(500, 300, transparent=True)
    image = upload_image(
        file=pictures.upload(data, "diagram.png", "image/png"), alt="A chart", by=None
    )
    assert [r["width"] for r in image.renditions] == [320, 500]
    assert image.file.name.endswith(".png")
    for rendition in image.renditions:
        with default_storage.open(str(rendition["name"])) as stored, Pillow.open(stored) as copy:
            assert copy.format == "WEBP" and copy.mode == "RGBA"
            assert copy.getchannel("A").getextrema()[0] == 0


def test_stored_names_come_from_the_content() -> None:
    first = upload_image(file=pictures.upload(pictures.jpeg(700, 400)), alt="One", by=None)
    second = upload_image(file=pictures.upload(pictures.jpeg(700, 400)), alt="Two", by=None)
    assert first.file.name == second.file.name
    assert first.renditions == second.renditions
    other = upload_image(file=pictures.upload(pictures.jpeg(701, 400)), alt="Three", by=None)
    assert other.file.name != first.file.name
    assert "photo" not in first.file.name  # the uploader's file name is not kept


def _gif() -> bytes:
    frames = [Pillow.new("P", (400, 300), colour) for colour in (1, 2)]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return out.getvalue()


def _cmyk_jpeg() -> bytes:
    out = io.BytesIO()
    Pillow.new("CMYK", (700, 500), (0, 80, 200, 10)).save(out, "JPEG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("data", "name", "master", "copies"),
    [
        (_gif(), "moving.gif", ".png", (".webp", [320, 400])),
        (_cmyk_jpeg(), "print.jpg", ".jpg", (".jpg", [320, 640, 700])),
    ],
)
def test_other_kinds_of_picture_become_copies_every_browser_shows(
    data: bytes, name: str, master: str, copies: tuple[str, list[int]]
) -> None:
    image = upload_image(file=pictures.upload(data, name), alt="A picture", by=None)
    assert image.file.name.endswith(master)
    assert [r["width"] for r in image.renditions] == copies[1]
    for rendition in image.renditions:
        name = str(rendition["name"])
        assert name.endswith(copies[0])
        with default_storage.open(name) as stored, Pillow.open(stored) as copy:
            assert copy.mode in ("RGB", "RGBA")
