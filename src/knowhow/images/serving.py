"""Serving the media folder (uploaded pictures and their copies) when no proxy does.

Every name there is made from its file's content, so an answer may be kept for a year.
Only files of picture types are served, never a folder's listing, and nothing outside the
folder: a name with "..", a leading slash, a backslash or a hidden part is not found.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from knowhow.images.models import CONTENT_TYPES

# What may be served, by extension: the types the upload service writes.
TYPES = CONTENT_TYPES
A_YEAR = 365 * 24 * 60 * 60


def media_file(name: str) -> Path | None:
    """The file under MEDIA_ROOT this name stands for, or None when there is none or the
    name reaches for anything else."""
    if not name or name.startswith(("/", "\\")) or "\\" in name or "\x00" in name:
        return None
    parts = name.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return None
    root = Path(settings.MEDIA_ROOT).resolve()
    try:
        found = root.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not found.is_relative_to(root) or not found.is_file():
        return None
    if found.suffix.lower() not in TYPES:
        return None
    return found


@require_safe
def media(request: HttpRequest, name: str) -> FileResponse:
    found = media_file(name)
    if found is None:
        raise Http404("No such file")
    content_type = TYPES[found.suffix.lower()]
    response = FileResponse(found.open("rb"), content_type=content_type)
    response["Cache-Control"] = f"public, max-age={A_YEAR}, immutable"
    response["X-Content-Type-Options"] = "nosniff"
    # A picture opened on its own runs nothing, whatever it holds.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
