"""A picture uploaded while the disk is full: the writer keeps the form with the reason, and
no part of the picture is left behind to pass for it later."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import User

from knowhow.articles.models import Article, Topic
from knowhow.images.models import Image
from tests import people
from tests.images import pictures
from tests.small_disk import fill, small_disk


def test_an_upload_on_a_full_disk_keeps_the_form_with_the_reason(
    tmp_path: Path, settings: Any, writer_account: User, topic: Topic, db: None
) -> None:
    with small_disk(tmp_path / "media", megabytes=1) as disk:
        settings.MEDIA_ROOT = disk
        fill(disk)
        client = people.signed_in(writer_account)
        client.raise_request_exception = False
        answer = client.post(
            "/newsroom/articles/new/",
            {
                "title": "Why do Knees Click?",
                "topic": topic.pk,
                "body": "Bubbles in the joint fluid pop, words typed by hand.",
                "new_image": pictures.upload(pictures.jpeg(1200, 800)),
                "new_image_alt": "A knee, bent",
                "do": "save",
            },
        )
        page = answer.content.decode()
        assert answer.status_code == 400  # the form, refused with its reason
        assert "could not store this picture: its disk is full" in page
        assert "Bubbles in the joint fluid pop, words typed by hand." in page
        assert "Why do Knees Click?" in page
        assert not Image.objects.exists() and not Article.objects.exists()
        assert [p.name for p in disk.rglob("*") if p.is_file()] == ["filler"]
