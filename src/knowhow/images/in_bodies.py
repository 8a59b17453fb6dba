"""Library pictures inside article bodies: how a body's references (`![alt](picture:42
"caption")`, see knowhow.markup) are drawn, the same way as a lead image: srcset, sizes,
width and height, the library's alt text, in a figure with its caption and credit."""

from __future__ import annotations

from collections.abc import Sequence

from django.template.loader import render_to_string

from knowhow.images.models import Image
from knowhow.images.templatetags.pictures import picture

# The fields of a picture that a body showing it draws: a save of others changes no body.
DRAWN_FIELDS = frozenset({"file", "width", "height", "alt", "caption", "credit", "renditions"})


def draw(named: Sequence[tuple[int, str | None]]) -> list[str]:
    """Each reference as its figure (one query for all), or "" for an id the library does
    not hold: a deleted or mistyped picture is left out of the page, not shown broken."""
    found = Image.objects.in_bulk({pk for pk, _ in named})
    return [
        render_to_string(
            "images/partials/picture.html",
            picture(found[pk], figure=True, css_class="body-picture", caption=caption),
        ).strip()
        if pk in found
        else ""
        for pk, caption in named
    ]
