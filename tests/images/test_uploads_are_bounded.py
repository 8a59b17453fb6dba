"""Pictures staff upload: one account cannot upload without end, and odd files (empty, a
picture with a script after it, a name reaching for other folders, alt text of spaces) are
refused or stored as a clean picture under a name of the site's own."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.utils import timezone

from knowhow.images.models import Image
from knowhow.images.services import ImageRejected, upload_image
from tests.images.pictures import jpeg, png, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.IMAGE_UPLOADS_PER_HOUR = 3


def _upload(by: User | None, n: int) -> Image:
    return upload_image(file=upload(png(40 + n, 30), f"p{n}.png", "image/png"), alt="A", by=by)


def test_an_account_uploads_at_most_its_hourly_allowance(writer_account: User) -> None:
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for n in range(3):
            _upload(writer_account, n)
        with pytest.raises(ImageRejected, match="3 pictures in the last hour.*60 minutes"):
            _upload(writer_account, 3)
        assert Image.objects.count() == 3
        clock.shift(dt.timedelta(minutes=61))
        _upload(writer_account, 4)  # an hour on, uploads are taken again
    assert Image.objects.count() == 4


def test_one_accounts_uploads_do_not_count_against_another(
    writer_account: User, editor_account: User
) -> None:
    for n in range(3):
        _upload(writer_account, n)
    _upload(editor_account, 5)
    _upload(None, 6)  # imports are not counted
    assert Image.objects.count() == 5


def test_the_editor_page_shows_the_refusal_and_keeps_the_text(writer_account: User) -> None:
    from knowhow.articles.models import Topic
    from tests import people

    topic = Topic.objects.create(name="Running", slug="running")
    for n in range(3):
        _upload(writer_account, n)
    response = people.signed_in(writer_account).post(
        "/newsroom/articles/new/",
        {
            "title": "Kept Title",
            "topic": topic.pk,
            "body": "Kept words.",
            "new_image": upload(jpeg(50, 40), "x.jpg"),
            "new_image_alt": "A runner",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "pictures in the last hour" in html and "Kept words." in html


def test_an_empty_file_is_refused() -> None:
    with pytest.raises(ImageRejected):
        upload_image(file=upload(b"", "empty.jpg"), alt="Nothing", by=None)


def test_a_picture_with_a_script_after_it_is_stored_without_it() -> None:
    polyglot = jpeg(60, 40) + b"<script>alert(1)</script><?php system($_GET[1]); ?>"
    image = upload_image(file=upload(polyglot, "both.jpg"), alt="Both", by=None)
    with image.file.open("rb") as stored:
        data = stored.read()
    assert b"<script>" not in data and b"<?php" not in data


def test_a_name_reaching_for_other_folders_is_not_used() -> None:
    image = upload_image(
        file=upload(jpeg(60, 40), "../../settings\u202egpj.py"), alt="Named", by=None
    )
    name = str(image.file.name)
    assert name.startswith("images/") and ".." not in name and "settings" not in name


def test_alt_text_of_only_spaces_is_refused() -> None:
    with pytest.raises(ImageRejected, match="alt text"):
        upload_image(file=upload(jpeg(60, 40)), alt=" \t\u00a0 ", by=None)
    assert not Image.objects.exists()


def test_a_refused_upload_on_the_edit_page_says_why_and_keeps_the_text(
    writer_account: User, settings: Any
) -> None:
    from knowhow.articles import services as workflow
    from knowhow.articles.models import Topic
    from tests import people

    topic = Topic.objects.create(name="Running", slug="running")
    article = workflow.create_article(by=writer_account, title="A Title", topic=topic)
    settings.IMAGE_MAX_PIXELS = 100
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{article.pk}/edit/",
        {
            "title": "A Title",
            "topic": topic.pk,
            "body": "Typed and kept.",
            "base": 1,
            "new_image": upload(jpeg(60, 40), "big.jpg"),
            "new_image_alt": "Drawing",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Typed and kept." in html
    assert "big.jpg unpacks into more pixels than this site takes" in html
    article.refresh_from_db()
    assert article.latest_revision is not None and article.latest_revision.number == 1
