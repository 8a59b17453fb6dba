"""What an article page tells search engines and other sites about itself, in its <head>.

schema.org JSON-LD (an Article, or a MedicalWebPage when its topic is marked as health),
OpenGraph and Twitter card tags, and the oEmbed discovery links. Every address is absolute,
on KNOWHOW_SITE_URL when it is set (links.absolute_url), and every date is ISO 8601 with
its offset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone

from knowhow.articles.models import Article, Person
from knowhow.articles.translations import Alternate, original_of

DESCRIPTION_WORDS = 30
LOGO = "knowhow/favicon.svg"


def iso(moment: dt.datetime | dt.date | None) -> str:
    """A moment in ISO 8601 with its UTC offset (in the site's time zone); a day as a day."""
    if moment is None:
        return ""
    if isinstance(moment, dt.datetime):
        return timezone.localtime(moment).isoformat(timespec="seconds")
    return moment.isoformat()


@dataclass(frozen=True)
class Image:
    url: str
    width: int | None
    height: int | None


class _FirstImage(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, str | None] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img" and self.found is None and dict(attrs).get("src"):
            self.found = dict(attrs)


def _size(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 0 < int(value) < 100_000 else None


def article_image(article: Article, base: str) -> Image | None:
    """The article's lead picture at its largest, else the first picture in its (sanitised)
    body, with an absolute address."""
    lead = article.lead_image.largest if article.lead_image is not None else None
    if lead is not None:
        return Image(urljoin(base + "/", lead.url), lead.width, lead.height)
    if "<img" not in article.body_html:
        return None
    parser = _FirstImage()
    parser.feed(article.body_html)
    if parser.found is None:
        return None
    url = urljoin(base + article.get_absolute_url(), parser.found["src"] or "")
    if not url.startswith(("http://", "https://")):
        return None
    return Image(url, _size(parser.found.get("width")), _size(parser.found.get("height")))


def _person(person: Person, base: str) -> dict[str, str]:
    return {"@type": "Person", "name": person.name, "url": base + person.get_absolute_url()}


def json_ld(article: Article, base: str) -> dict[str, Any]:
    """The article as schema.org data: what it is, who wrote and edited it, when, and who
    publishes it. A health topic's articles are MedicalWebPages."""
    page = base + article.get_absolute_url()
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "MedicalWebPage" if article.topic.health else "Article",
        "@id": page,
        "url": page,
        "mainEntityOfPage": {"@type": "WebPage", "@id": page},
        "headline": article.title,
        "description": article.description_for_search(DESCRIPTION_WORDS),
        "inLanguage": article.language,
        "datePublished": iso(article.published_at),
        "dateModified": iso(article.modified_at),
        "author": _person(article.written_by, base),
        "publisher": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": base + reverse("home"),
            "logo": {"@type": "ImageObject", "url": base + static(LOGO)},
        },
    }
    if article.edited_by is not None:
        data["editor"] = _person(article.edited_by, base)
    if not article.topic.health:
        data["articleSection"] = article.topic.name
    if article.copyright_holder:
        data["copyrightHolder"] = {"@type": "Organization", "name": article.copyright_holder}
    image = article_image(article, base)
    if image is not None:
        data["image"] = [image.url]
    review = article.review
    if review is not None:  # only a review the article really carries is ever claimed
        data["lastReviewed"] = iso(review.reviewed_on)
        data["reviewedBy"] = _person(review.reviewed_by, base)
    return data


@dataclass
class ArticleHead:
    """Everything the article page's <head> says about it beyond its title."""

    description: str
    json_ld: dict[str, Any]
    # (attribute, key, content): OpenGraph names its keys in "property", Twitter in "name".
    meta: list[tuple[str, str, str]] = field(default_factory=list)
    oembed_json: str = ""
    oembed_xml: str = ""
    # Its language versions (hreflang), itself included, and the original's address.
    alternates: list[Alternate] = field(default_factory=list)
    x_default: str = ""


def oembed_url(base: str, page: str, format: str) -> str:
    return base + reverse("oembed") + "?" + urlencode({"url": page, "format": format})


def article_head(
    article: Article, base: str, versions: Iterable[Alternate] | None = None
) -> ArticleHead:
    page = base + article.get_absolute_url()
    description = article.description_for_search(DESCRIPTION_WORDS)
    opengraph = [
        ("og:type", "article"),
        ("og:title", article.title_for_search),
        ("og:description", description),
        ("og:url", page),
        ("og:site_name", settings.SITE_NAME),
        ("article:published_time", iso(article.published_at)),
        ("article:modified_time", iso(article.modified_at)),
        ("article:author", base + article.written_by.get_absolute_url()),
        ("article:section", article.topic.name),
    ]
    image = article_image(article, base)
    # A lead picture is shown large where the link is shared; the site's logo stays small.
    large = article.lead_image is not None and bool(article.lead_image.renditions)
    if image is not None:
        opengraph.append(("og:image", image.url))
        if image.width and image.height:
            opengraph += [
                ("og:image:width", str(image.width)),
                ("og:image:height", str(image.height)),
            ]
        if large and article.lead_image is not None:
            opengraph.append(("og:image:alt", article.lead_image.alt))
    twitter = [
        ("twitter:card", "summary_large_image" if large else "summary"),
        ("twitter:title", article.title_for_search),
        ("twitter:description", description),
    ]
    meta = [("property", k, v) for k, v in opengraph] + [("name", k, v) for k, v in twitter]
    return ArticleHead(
        description=description,
        json_ld=json_ld(article, base),
        meta=meta,
        oembed_json=oembed_url(base, page, "json"),
        oembed_xml=oembed_url(base, page, "xml"),
        **_alternates(list(versions or []), base),
    )


def _alternates(versions: list[Alternate], base: str) -> dict[str, Any]:
    """hreflang links: each language version's absolute address, and the original's as
    x-default (what a reader whose language none matches is offered)."""
    if not versions:
        return {}
    absolute = [replace(v, url=base + v.url) for v in versions]
    original = original_of(absolute)
    return {"alternates": absolute, "x_default": original.url if original else ""}
