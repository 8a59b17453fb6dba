"""{% picture image %}: an image with its resized copies as srcset, its size, and its words."""

from __future__ import annotations

from typing import Any

from django import template

from knowhow.images.models import Image

register = template.Library()

# How wide the picture is drawn: the article column, or the whole phone screen.
ARTICLE_SIZES = "(max-width: 46rem) calc(100vw - 2rem), 44rem"
THUMBNAIL_SIZES = "6rem"
# A card in a grid of cards (home, topic and person pages): the phone's width, else a column
# of the grid (at most three in the 64rem page).
CARD_SIZES = "(max-width: 44rem) calc(100vw - 2.5rem), 20rem"
# The home page's featured article: the main column.
FEATURE_SIZES = "(max-width: 44rem) calc(100vw - 2.5rem), 40rem"


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


@register.inclusion_tag("images/partials/picture.html")
def card_picture(image: Image | None) -> dict[str, Any]:
    """The picture atop an article's card, beside its title's link (so decorative)."""
    return picture(image, sizes=CARD_SIZES, decorative=True, css_class="card-picture")


@register.inclusion_tag("images/partials/picture.html")
def feature_picture(image: Image | None) -> dict[str, Any]:
    """The featured article's picture: the first thing on the home page, loaded first."""
    return picture(image, sizes=FEATURE_SIZES, eager=True, css_class="feature-picture")
