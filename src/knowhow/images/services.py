"""Writes of images: checking and storing an upload (and, later, its resized copies)."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from PIL import Image as Pillow
from PIL import UnidentifiedImageError

from knowhow.images.models import Image

FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}


class ImageRejected(Exception):
    """An upload that cannot be used; the message says why, for the person uploading."""


@transaction.atomic
def upload_image(
    *, file: UploadedFile, alt: str, by: User | None, caption: str = "", credit: str = ""
) -> Image:
    """Store an uploaded picture with its alt text, or raise ImageRejected."""
    alt = alt.strip()
    if not alt:
        raise ImageRejected(
            "Describe the picture in its alt text: readers who cannot see it need that."
        )
    try:
        with Pillow.open(file) as picture:
            picture.verify()
            kind = picture.format
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise ImageRejected(f"{file.name} is not a picture this site can show.") from None
    if kind not in FORMATS:
        raise ImageRejected(f"{file.name} is a {kind} file; upload JPEG, PNG, WebP or GIF.")
    file.seek(0)
    return Image.objects.create(file=file, alt=alt, caption=caption, credit=credit, uploaded_by=by)
