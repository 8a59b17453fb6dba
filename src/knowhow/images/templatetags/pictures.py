"""{% picture image %}: an image with its resized copies as srcset, its size, and its words."""

from __future__ import annotations

from typing import Any

from django import template

from knowhow.images.models import Image

register = template.Library()

# How wide the picture is drawn: the article column, or the whole phone screen.
ARTICLE_SIZES = "(max-width: 46rem) calc(100vw - 2rem), 44rem"
THUMBNAIL_SIZES = "6rem"


@register.inclusion_tag("images/partials/picture.html")
def picture(
    image: Image | None,
    sizes: str = ARTICLE_SIZES,
    figure: bool = False,
    eager: bool = False,
    decorative: bool = False,
    css_class: str = "",
    caption: str | None = None,
) -> dict[str, Any]:
    """The picture as <img> (in a <figure> with caption and credit when `figure`; `caption`
    in place of the library's own, as a reference in an article body may give).

    Lazy-loaded unless `eager` (a picture at the top of a page); `decorative` for one
    beside a link that already says everything (list thumbnails): empty alt text."""
    return {
        "image": image,
        "sizes": sizes,
        "figure": figure,
        "eager": eager,
        "alt": "" if decorative else (image.alt if image else ""),
        "css_class": css_class,
        "caption": caption if caption is not None else (image.caption if image else ""),
    }


@register.inclusion_tag("images/partials/picture.html")
def thumbnail(image: Image | None, css_class: str = "thumb") -> dict[str, Any]:
    """A small picture beside an article's title in a list."""
    return picture(image, sizes=THUMBNAIL_SIZES, decorative=True, css_class=css_class)
