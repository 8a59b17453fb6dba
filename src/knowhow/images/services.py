"""Writes of images: checking an upload, storing a clean copy of it, and its resized copies.

What is stored and served is never the uploaded file itself: the picture is decoded (a
JPEG already at the scale the copies need), turned upright (EXIF orientation), brought down
to twice the widest copy, its colours converted to sRGB, and encoded anew without any
metadata (camera, GPS position, colour profile). The request stores that master; the
resized copies are made by the task worker. Every stored file is named after a hash of its
content, so browsers and CDNs may keep it for ever: a changed picture is a new name.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import hashlib
import io
import logging
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from PIL import Image as Pillow
from PIL import ImageCms, ImageOps, UnidentifiedImageError

from knowhow.images.models import PICTURE_FORMATS, PICTURE_NAMES, Image

logger = logging.getLogger(__name__)

# The widths of the resized copies; none is made wider than the picture itself.
WIDTHS = (320, 640, 960, 1280, 1920)
# The master is kept at most this many pixels on its longer side: twice the widest copy,
# enough to make the copies again at any width, and a bound on every later decode.
MASTER_MAX_SIDE = 2 * WIDTHS[-1]
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
FOLDER = "images"
JPEG_QUALITY = 82
WEBP_QUALITY = 82
# How many bytes of a file are looked at for signs of SVG or HTML.
SNIFF_BYTES = 1024

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class ImageRejected(Exception):
    """An upload that cannot be used; the message says why, for the person uploading, and
    `code` for programs: "no_alt" (the alt text is missing), "too_many" (past the hourly
    allowance), else "refused" (the file itself)."""

    def __init__(self, message: StrOrPromise, code: str = "refused") -> None:
        super().__init__(message)
        self.code = code


NO_ALT = gettext_lazy("Describe the picture in its alt text: readers who cannot see it need that.")


@dataclass(frozen=True)
class Encoded:
    data: bytes
    extension: str


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _looks_like_markup(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<svg", b"<!doctype", b"<html")) or b"<svg" in text


def max_pixels() -> int:
    """The most pixels a picture may have: the setting, and never past Pillow's own limit
    (above which it only warns, up to twice that)."""
    pillows = Pillow.MAX_IMAGE_PIXELS
    return min(settings.IMAGE_MAX_PIXELS, pillows) if pillows else settings.IMAGE_MAX_PIXELS


def _decode(data: bytes, name: str) -> Pillow.Image:
    """The picture in the upload, fully decoded, or ImageRejected saying why not.

    Its size is read from its header and checked before any pixel is unpacked."""
    limit = max_pixels()
    bomb = ImageRejected(
        _(
            "%(name)s unpacks into more pixels than this site takes (%(limit)s); "
            "upload a smaller picture."
        )
        % {"name": name, "limit": f"{limit:,}"}
    )
    try:
        picture = Pillow.open(io.BytesIO(data))
        if picture.format not in PICTURE_FORMATS:
            raise ImageRejected(
                _("%(name)s is a %(format)s file; upload %(kinds)s.")
                % {"name": name, "format": picture.format, "kinds": PICTURE_NAMES}
            )
        if picture.width * picture.height > limit:
            raise bomb
        if picture.format == "JPEG":
            # Decoded straight at a scale of 1/2, 1/4 or 1/8 where that still covers the
            # master: a 48-megapixel photograph costs a quarter of the memory and time.
            picture.draft(picture.mode, _fitted(picture.size))
        picture.load()
    except Pillow.DecompressionBombError:
        raise bomb from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ImageRejected(
            _("%(name)s is not a picture this site can show.") % {"name": name}
        ) from None
    return picture


def _fitted(size: tuple[int, int]) -> tuple[int, int]:
    """The size within MASTER_MAX_SIDE on the longer side, in proportion."""
    width, height = size
    scale = min(1.0, MASTER_MAX_SIDE / max(width, height))
    return max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))


def _in_srgb(picture: Pillow.Image) -> Pillow.Image:
    """The picture's colours as sRGB, what every browser assumes without a profile; a
    profile that cannot be read leaves the pixels as they are."""
    icc = picture.info.get("icc_profile")
    if not icc:
        return picture
    mode = (
        "RGBA" if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info else "RGB"
    )
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        if picture.mode not in ("RGB", "RGBA", "CMYK", "L", "LA"):
            picture = picture.convert(mode)
        converted = ImageCms.profileToProfile(picture, source, SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return picture
    return converted if converted is not None else picture


def _has_transparency(picture: Pillow.Image) -> bool:
    if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
        alpha = picture.convert("RGBA").getchannel("A")
        low = alpha.getextrema()[0]
        return isinstance(low, int | float) and low < 255
    return False


def clean(picture: Pillow.Image) -> Pillow.Image:
    """The picture upright, within MASTER_MAX_SIDE, in sRGB, in RGB (or RGBA when it has
    see-through parts), with no metadata left to travel with it. The decoded picture given
    is changed in place: no second copy of a large picture is held in memory."""
    info = dict(picture.info)
    ImageOps.exif_transpose(picture, in_place=True)
    fitted = _fitted(picture.size)
    if picture.size != fitted:
        # Halving by whole steps first (reducing_gap) is fast; LANCZOS only for the rest.
        picture.thumbnail(fitted, Pillow.Resampling.LANCZOS, reducing_gap=3.0)
    picture.info = {**info, **picture.info}
    coloured = _in_srgb(picture)
    transparent = _has_transparency(coloured)
    result = coloured.convert("RGBA" if transparent else "RGB")
    result.info = {}
    return result


def _encode(picture: Pillow.Image, source_format: str, master: bool = False) -> Encoded:
    """JPEG for photographs that came as JPEG; WebP otherwise (it keeps transparency and
    sharp edges). The master copy of a non-JPEG is PNG, which loses nothing."""
    out = io.BytesIO()
    if source_format == "JPEG" and picture.mode == "RGB":
        quality = 92 if master else JPEG_QUALITY
        picture.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
        return Encoded(out.getvalue(), "jpg")
    if master:
        # compress_level 6 rather than optimize's 9: a fraction of the time, a few % larger.
        picture.save(out, "PNG", compress_level=6)
        return Encoded(out.getvalue(), "png")
    picture.save(out, "WEBP", quality=WEBP_QUALITY, method=4)
    return Encoded(out.getvalue(), "webp")


def _store(encoded: Encoded, suffix: str = "") -> str:
    """Save under a name made from the content; the same content is stored once."""
    digest = hashlib.sha256(encoded.data).hexdigest()[:24]
    name = f"{FOLDER}/{digest[:2]}/{digest}{suffix}.{encoded.extension}"
    if not default_storage.exists(name):
        try:
            saved = default_storage.save(name, ContentFile(encoded.data))
        except OSError as error:
            # A part written before the disk filled would pass for the whole picture
            # later (the name is its content's hash): it goes, and the writer is told.
            with contextlib.suppress(OSError):
                default_storage.delete(name)
            logger.error("could not store the picture %s: %s", name, error)
            raise ImageRejected(
                _(
                    "The site could not store this picture: %(why)s. Nothing was saved; "
                    "try again later, or tell the site's operator."
                )
                % {"why": _("its disk is full") if error.errno == errno.ENOSPC else error.strerror}
            ) from None
        assert saved == name, f"storage renamed {name} to {saved}"
    return name


def rendition_widths(width: int) -> list[int]:
    """The copies a picture this wide gets: each standard width below it, and its own
    width when that is below the largest standard one."""
    widths = [w for w in WIDTHS if w < width]
    if width <= WIDTHS[-1]:
        widths.append(width)
    return widths


def _renditions(picture: Pillow.Image, source_format: str) -> list[dict[str, object]]:
    made: list[dict[str, object]] = []
    for width in rendition_widths(picture.width):
        height = max(1, round(picture.height * width / picture.width))
        copy = (
            picture
            if width == picture.width
            else picture.resize((width, height), Pillow.Resampling.LANCZOS)
        )
        copy.info = picture.info
        encoded = _encode(copy, source_format)
        name = _store(encoded, f"-{width}w")
        made.append({"width": width, "height": height, "name": name})
    return made


def _reject_early(file: UploadedFile) -> bytes:
    name = file.name or "The file"
    size = file.size or 0
    if size > settings.IMAGE_MAX_BYTES:
        raise ImageRejected(
            _("%(name)s is %(size)s; pictures may be at most %(most)s.")
            % {"name": name, "size": _megabytes(size), "most": _megabytes(settings.IMAGE_MAX_BYTES)}
        )
    file.seek(0)
    data = file.read(settings.IMAGE_MAX_BYTES + 1)
    if len(data) > settings.IMAGE_MAX_BYTES:
        raise ImageRejected(
            _("%(name)s is larger than %(most)s, the most a picture may be.")
            % {"name": name, "most": _megabytes(settings.IMAGE_MAX_BYTES)}
        )
    if _looks_like_markup(data[:SNIFF_BYTES]):
        raise ImageRejected(
            _(
                "%(name)s is an SVG or web page; such files can carry scripts, so this site "
                "takes %(kinds)s only."
            )
            % {"name": name, "kinds": PICTURE_NAMES}
        )
    return data


def _within_hourly_limit(by: User) -> None:
    """Refuse an upload past the account's hourly allowance. The account's row is locked
    so two uploads at once are counted one after the other."""
    User.objects.select_for_update().filter(pk=by.pk).exists()
    hour_ago = timezone.now() - dt.timedelta(hours=1)
    recent = Image.objects.filter(uploaded_by=by, created_at__gt=hour_ago)
    limit = settings.IMAGE_UPLOADS_PER_HOUR
    if recent.count() >= limit:
        oldest = recent.order_by("created_at").values_list("created_at", flat=True)[0]
        left = oldest + dt.timedelta(hours=1) - timezone.now()
        wait = max(1, math.ceil(left.total_seconds() / 60))
        raise ImageRejected(
            ngettext(
                "You have uploaded %(limit)d pictures in the last hour, the most an account "
                "may; the next one is taken in %(wait)d minute.",
                "You have uploaded %(limit)d pictures in the last hour, the most an account "
                "may; the next one is taken in %(wait)d minutes.",
                wait,
            )
            % {"limit": limit, "wait": wait},
            code="too_many",
        )


def holds_picture(image: Image, data: bytes) -> bool:
    """Whether the image is this picture file: its stored master is what uploading the file
    would store (an importer reading the same file again keeps the image it made)."""
    try:
        source = _decode(data, "The file")
    except ImageRejected:
        return False
    master = _encode(clean(source), str(source.format), master=True)
    digest = hashlib.sha256(master.data).hexdigest()[:24]
    return bool(image.file) and Path(str(image.file.name)).stem == digest


@transaction.atomic
def upload_image(
    *,
    file: UploadedFile,
    alt: str,
    by: User | None,
    caption: str = "",
    credit: str = "",
    copies_now: bool = True,
) -> Image:
    """Store an uploaded picture with its alt text and resized copies, or raise
    ImageRejected. Nothing is stored for a refused upload.

    With `copies_now` false (a web request), the copies are left to the task worker once the
    upload is committed; pages show the master until they are made, then the copies."""
    alt = alt.strip()
    if not alt:
        raise ImageRejected(NO_ALT, code="no_alt")
    if by is not None:
        _within_hourly_limit(by)
    data = _reject_early(file)
    source = _decode(data, file.name or "The file")
    kind = str(source.format)
    picture = clean(source)
    master = _encode(picture, kind, master=True)
    image = Image(
        alt=alt,
        caption=caption.strip(),
        credit=credit.strip(),
        uploaded_by=by,
    )
    image.file.name = _store(master)
    image.width, image.height = picture.size
    image.renditions = _renditions_of_master(master.data) if copies_now else []
    image.save()
    if not copies_now:
        from knowhow.images.tasks import make_copies

        transaction.on_commit(lambda: make_copies.enqueue(image.pk))
    return image


def _renditions_of_master(data: bytes) -> list[dict[str, object]]:
    """The copies, made from the stored master as decoded: the same ones, byte for byte,
    whenever they are made again from it."""
    source = Pillow.open(io.BytesIO(data))
    kind = "JPEG" if source.format == "JPEG" else "PNG"
    source.load()
    return _renditions(clean(source), kind)


def remake_renditions(image: Image) -> bool:
    """Make the image's resized copies again from its stored master; True if they changed.

    Saving the image tells the page cache (pages showing it are drawn anew)."""
    with default_storage.open(str(image.file.name), "rb") as stored:
        data = stored.read()
    renditions = _renditions_of_master(data)
    if renditions == image.renditions:
        return False
    image.renditions = renditions
    image.save(update_fields=["renditions"])
    return True


@transaction.atomic
def describe_image(*, image: Image, alt: str, caption: str = "", credit: str = "") -> Image:
    """Change what is said about a picture; every page showing it shows the new words."""
    alt = alt.strip()
    if not alt:
        raise ImageRejected(NO_ALT, code="no_alt")
    image.alt, image.caption, image.credit = alt, caption.strip(), credit.strip()
    image.save(update_fields=["alt", "caption", "credit"])
    return image
