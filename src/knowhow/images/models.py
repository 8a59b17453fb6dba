"""Images staff upload for articles: the original, its alt text, and its resized copies."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

# The copy an <img> falls back to where srcset is not understood.
FALLBACK_WIDTH = 960


@dataclass(frozen=True)
class PictureType:
    """A kind of picture the site takes: Pillow's name for it, the name people know, its
    content type and the extensions its files have."""

    format: str
    name: str
    content_type: str
    extensions: tuple[str, ...]


# The picture types uploads may be, and so the files the media folder and backups hold.
PICTURE_TYPES = (
    PictureType("JPEG", "JPEG", "image/jpeg", (".jpg", ".jpeg")),
    PictureType("PNG", "PNG", "image/png", (".png",)),
    PictureType("WEBP", "WebP", "image/webp", (".webp",)),
    PictureType("GIF", "GIF", "image/gif", (".gif",)),
)
PICTURE_FORMATS = frozenset(kind.format for kind in PICTURE_TYPES)
CONTENT_TYPES = {ext: kind.content_type for kind in PICTURE_TYPES for ext in kind.extensions}
PICTURE_EXTENSIONS = tuple(CONTENT_TYPES)
# "JPEG, PNG, WebP or GIF", for people choosing a file.
PICTURE_NAMES = format_lazy(
    gettext_lazy("{several} or {last}"),
    several=", ".join(kind.name for kind in PICTURE_TYPES[:-1]),
    last=PICTURE_TYPES[-1].name,
)


@dataclass(frozen=True)
class Rendition:
    """One resized copy of an image, at its address."""

    width: int
    height: int
    url: str


class Image(models.Model):
    """An uploaded picture. Alt text is required: a picture no one can describe is not shown."""

    file = models.ImageField(upload_to="images/%Y/%m/", width_field="width", height_field="height")
    width = models.PositiveIntegerField(editable=False, default=0)
    height = models.PositiveIntegerField(editable=False, default=0)
    alt = models.CharField(
        max_length=300,
        help_text=gettext_lazy("What the picture shows, for readers who cannot see it."),
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
        return self.tag_for(self.pk)

    @staticmethod
    def tag_for(pk: int) -> str:
        """cache_tag of the image with this id, without loading it."""
        return f"image-{pk}"

    def sized(self) -> list[Rendition]:
        """The resized copies, narrowest first."""
        return [
            Rendition(int(r["width"]), int(r["height"]), default_storage.url(str(r["name"])))
            for r in self.renditions
        ]

    def stored_names(self) -> list[str]:
        """The storage names of the original and of each resized copy."""
        names = [str(r["name"]) for r in self.renditions]
        return [str(self.file.name), *names] if self.file else names

    @property
    def srcset(self) -> str:
        """The copies as an <img srcset>: each address with its width."""
        return ", ".join(f"{r.url} {r.width}w" for r in self.sized())

    @property
    def src(self) -> str:
        """The copy for browsers that ignore srcset: the widest one up to FALLBACK_WIDTH."""
        copies = self.sized()
        if not copies:
            return self.file.url if self.file else ""
        fitting = [r for r in copies if r.width <= FALLBACK_WIDTH]
        return (fitting or copies)[-1].url

    @property
    def largest(self) -> Rendition | None:
        """The widest copy (what other sites show when the article is shared)."""
        copies = self.sized()
        return copies[-1] if copies else None
