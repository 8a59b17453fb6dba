"""Pictures made in code for the image tests: photographs, transparent drawings, bombs."""

from __future__ import annotations

import io
import struct
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow

# EXIF tags: where the camera was, and which way up it was held.
GPS_IFD = 0x8825
ORIENTATION = 0x0112
MAKE = 0x010F


def jpeg(width: int = 1600, height: int = 1000, exif: Pillow.Exif | None = None) -> bytes:
    picture = Pillow.new("RGB", (width, height), (200, 80, 40))
    # A darker left half: lets a test see which way up a picture ended.
    picture.paste((20, 20, 120), (0, 0, width // 2, height))
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90, **({"exif": exif} if exif is not None else {}))
    return out.getvalue()


def png(width: int = 500, height: int = 300, transparent: bool = False) -> bytes:
    picture = Pillow.new("RGBA", (width, height), (40, 120, 200, 0 if transparent else 255))
    picture.paste((250, 250, 250, 255), (10, 10, width // 2, height // 2))
    out = io.BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def located_exif(orientation: int = 1) -> Pillow.Exif:
    exif = Pillow.Exif()
    exif[MAKE] = "PocketCam"
    exif[ORIENTATION] = orientation
    exif[GPS_IFD] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}
    return exif


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG file whose header claims a huge picture: what a decompression bomb is."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1-bit grey
    rows = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")
    )


def upload(
    data: bytes, name: str = "photo.jpg", content_type: str = "image/jpeg"
) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)
