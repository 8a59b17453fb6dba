"""Images staff upload for articles: the original, its alt text, and its resized copies."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Image(models.Model):
    """An uploaded picture. Alt text is required: a picture no one can describe is not shown."""

    file = models.ImageField(upload_to="images/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt = models.CharField(
        max_length=300, help_text="What the picture shows, for readers who cannot see it."
    )
    caption = models.CharField(max_length=300, blank=True)
    credit = models.CharField(max_length=200, blank=True)
    # Resized copies, narrowest first, as [{"width": w, "height": h, "name": storage name}].
    renditions = models.JSONField(default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.alt

    @property
    def cache_tag(self) -> str:
        """The page-cache tag of pages that show this image."""
        return f"image-{self.pk}"
