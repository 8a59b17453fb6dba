"""`knowhow renditions` makes the resized copies again, and pages follow."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from knowhow.images import services
from knowhow.images.models import Image

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("renditions", *args, stdout=out, stderr=out)
    return out.getvalue()


def test_lost_copies_are_made_again(photo: Image) -> None:
    media = Path(settings.MEDIA_ROOT)
    for rendition in photo.renditions:
        (media / str(rendition["name"])).unlink()
    assert "0 remade, 1 already up to date, 0 failed." in _run()
    for rendition in photo.renditions:
        assert (media / str(rendition["name"])).is_file()


def test_new_widths_give_new_copies(photo: Image, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(services, "WIDTHS", (400, 800))
    assert "1 remade" in _run(str(photo.pk))
    photo.refresh_from_db()
    assert [r["width"] for r in photo.renditions] == [400, 800]
    assert photo.srcset.endswith(" 800w") and " 400w" in photo.srcset


def test_an_unknown_id_is_named(photo: Image) -> None:
    with pytest.raises(SystemExit):
        out = io.StringIO()
        call_command("renditions", "999", stdout=out, stderr=out)
    assert "No picture with id 999." in out.getvalue()
