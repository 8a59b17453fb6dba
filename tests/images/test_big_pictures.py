"""Big pictures cost the request little: the master is brought down to what the copies
need, its colours to sRGB, and the copies are made by the task worker, after which every
kept page shows them."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from PIL import Image as Pillow
from PIL import ImageCms

from knowhow.articles.models import Article, Topic
from knowhow.images.models import Image
from knowhow.images.services import MASTER_MAX_SIDE, upload_image
from tests import people
from tests.images import pictures
from tests.images.conftest import Server


def _stored(name: str) -> Pillow.Image:
    with default_storage.open(name) as stored:
        picture = Pillow.open(io.BytesIO(stored.read()))
        picture.load()
    return picture


def _every_file(image: Image) -> list[str]:
    return [image.file.name, *(str(r["name"]) for r in image.renditions)]


@pytest.mark.django_db
def test_a_camera_sized_photo_is_kept_at_twice_the_widest_copy() -> None:
    image = upload_image(file=pictures.upload(pictures.jpeg(6000, 4000)), alt="Wide", by=None)
    assert (image.width, image.height) == (MASTER_MAX_SIDE, 2560)
    assert _stored(image.file.name).size == (MASTER_MAX_SIDE, 2560)
    assert [r["width"] for r in image.renditions] == [320, 640, 960, 1280, 1920]


@pytest.mark.django_db
def test_a_huge_png_is_taken_and_brought_down() -> None:
    data = pictures.png(6000, 6000)
    image = upload_image(file=pictures.upload(data, "huge.png", "image/png"), alt="Huge", by=None)
    assert (image.width, image.height) == (MASTER_MAX_SIDE, MASTER_MAX_SIDE)
    assert max(r["width"] for r in image.renditions) == 1920  # type: ignore[type-var]


def _with_profile(profile: bytes) -> bytes:
    out = io.BytesIO()
    Pillow.new("RGB", (800, 600), (200, 80, 40)).save(out, "JPEG", icc_profile=profile)
    return out.getvalue()


@pytest.mark.django_db
def test_a_colour_profile_is_applied_and_not_carried_into_any_copy() -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = upload_image(file=pictures.upload(_with_profile(srgb)), alt="Red", by=None)
    for name in _every_file(image):
        stored = _stored(name)
        assert "icc_profile" not in stored.info, name
        middle = (stored.width // 2, stored.height // 2)
        red, green, blue = stored.convert("RGB").getpixel(middle)  # type: ignore[misc]
        assert abs(red - 200) <= 3 and abs(green - 80) <= 3 and abs(blue - 40) <= 3


@pytest.mark.django_db
def test_a_broken_colour_profile_leaves_the_pixels_and_is_dropped() -> None:
    image = upload_image(file=pictures.upload(_with_profile(b"not a profile")), alt="R", by=None)
    for name in _every_file(image):
        assert "icc_profile" not in _stored(name).info


def test_an_editor_upload_shows_at_once_and_gets_its_copies_from_the_worker(
    server: Server,
    make_article: Callable[..., Article],
    writer_account: User,
    topic: Topic,
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = people.signed_in(writer_account)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/newsroom/articles/new/",
            {
                "title": "Why do Knees Click?",
                "topic": topic.pk,
                "body": "Bubbles in the joint fluid pop.",
                "new_image": pictures.upload(pictures.jpeg(2400, 1200)),
                "new_image_alt": "A knee, bent",
                "do": "save",
            },
        )
    image = Image.objects.get(alt="A knee, bent")
    assert image.renditions == []  # the writer did not wait for them
    article = make_article("Knees", slug="knees", lead_image=image)
    server.request(article.get_absolute_url())
    before = server.request(article.get_absolute_url())
    assert before.cache == "HIT"
    assert f'src="{image.file.url}"' in before.text  # the master until the copies exist

    run_worker()

    after = server.request(article.get_absolute_url())
    assert after.cache != "HIT"
    assert "1920w" in after.text and "320w" in after.text
    assert [r["width"] for r in Image.objects.get(pk=image.pk).renditions] == [
        320,
        640,
        960,
        1280,
        1920,
    ]
