"""The resized copies of an uploaded picture, made by the task worker after the upload."""

from __future__ import annotations

from django_tasks import task

from knowhow.images.models import Image
from knowhow.images.services import remake_renditions


@task()
def make_copies(image_id: int) -> bool:
    """Make the picture's copies from its master; pages showing it are drawn anew."""
    image = Image.objects.filter(pk=image_id).first()
    return image is not None and remake_renditions(image)
