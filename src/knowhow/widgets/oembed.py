"""oEmbed provider: what another site needs to embed one of our articles.

GET /oembed?url=<an article's address>&format=json|xml[&maxwidth=N&maxheight=N]

The answer is a `rich` embed, the article card widget's iframe, sized to fit maxwidth and
maxheight; when the card cannot fit them, a `link` with the article's details.

The address is only read, never fetched: it is parsed as a browser would (WHATWG, ada),
and must be http(s), on this site's own host and port (KNOWHOW_SITE_URL's, else the one
the request came to), with no user name, and a path that is exactly an article's. Anything
else, or an article not published, is a 404; a format other than json or xml is a 501, as
the oEmbed spec asks.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any
from urllib.parse import urlsplit

from ada_url import URL
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.xmlutils import SimplerXMLGenerator
from django.views.decorators.http import require_safe

from knowhow.articles.models import Article
from knowhow.articles.selectors import article_at_address
from knowhow.links import base_url
from knowhow.pages import depends, documents
from knowhow.pages.metadata import article_image
from knowhow.widgets.options import WIDTH_DEFAULT, WIDTH_MIN, Options
from knowhow.widgets.views import iframe_snippet

# How long a consumer may keep an answer before asking again, in seconds.
CACHE_AGE = 86400
MAX_URL_LENGTH = 2000
# An article's path, and nothing else: no percent-escapes, dots or extra segments.
_ARTICLE_PATH = re.compile(r"/articles/([A-Za-z0-9_-]+)/")
_DIMENSION = re.compile(r"[1-9][0-9]{0,4}")


def _own_host(request: HttpRequest) -> str:
    if settings.SITE_URL:
        return urlsplit(settings.SITE_URL).netloc.lower()
    return request.get_host().lower()


def article_at(request: HttpRequest, address: str) -> Article | None:
    """The published article an address on this site names, or None."""
    if not address or len(address) > MAX_URL_LENGTH:
        return None
    if not address.startswith(("http://", "https://")):
        return None  # relative, protocol-relative (//host/...) and other schemes
    try:
        url = URL(address)
    except ValueError:
        return None
    if url.protocol not in ("http:", "https:") or url.username or url.password:
        return None
    if url.host.lower() != _own_host(request):
        return None
    match = _ARTICLE_PATH.fullmatch(url.pathname)
    if match is None:
        return None
    return article_at_address(match.group(1))


def _dimension(request: HttpRequest, name: str) -> int | None | str:
    """A positive whole number of pixels, None when not asked, or the error to show."""
    raw = request.GET.get(name)
    if raw is None or raw == "":
        return None
    if not _DIMENSION.fullmatch(raw):
        return f"{name} must be a whole number of pixels, from 1 to 99999."
    return int(raw)


def describe(
    article: Article, base: str, maxwidth: int | None, maxheight: int | None
) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "version": "1.0",
        "type": "link",
        **_card(article, base, maxwidth, maxheight),
        "title": article.title,
        "author_name": article.written_by.name,
        "author_url": base + article.written_by.get_absolute_url(),
        "provider_name": settings.SITE_NAME,
        "provider_url": base + reverse("home"),
        "cache_age": CACHE_AGE,
    }
    image = article_image(article, base)
    if image is not None and image.width and image.height:
        fits = (maxwidth is None or image.width <= maxwidth) and (
            maxheight is None or image.height <= maxheight
        )
        if fits:
            answer.update(
                thumbnail_url=image.url,
                thumbnail_width=image.width,
                thumbnail_height=image.height,
            )
    return answer


def _card(
    article: Article, base: str, maxwidth: int | None, maxheight: int | None
) -> dict[str, Any]:
    """The article card widget as a rich embed, if it fits the consumer's maximum size."""
    width = min(WIDTH_DEFAULT, maxwidth) if maxwidth is not None else WIDTH_DEFAULT
    card = Options(kind="article", article=article.slug, width=width)
    if width < WIDTH_MIN or (maxheight is not None and card.height > maxheight):
        return {}
    frame = f"{base}{reverse('widget-frame', args=['article'])}?{card.query()}"
    return {
        "type": "rich",
        "html": iframe_snippet(card, frame),
        "width": width,
        "height": card.height,
    }


def _as_xml(answer: dict[str, Any]) -> str:
    stream = io.StringIO()
    xml = SimplerXMLGenerator(stream, "utf-8")
    xml.startDocument()
    xml.startElement("oembed", {})  # type: ignore[arg-type]
    for key, value in answer.items():
        xml.addQuickElement(key, str(value))
    xml.endElement("oembed")
    return stream.getvalue()


def _plain(status: int, text: str) -> HttpResponse:
    return HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")


@require_safe
def oembed(request: HttpRequest) -> HttpResponse:
    format = request.GET.get("format") or "json"
    if format not in ("json", "xml"):
        return _plain(501, "Only the json and xml formats are offered.")
    if not request.GET.get("url"):
        return _plain(400, "Give the address of an article in url=.")
    maxwidth, maxheight = _dimension(request, "maxwidth"), _dimension(request, "maxheight")
    for problem in (maxwidth, maxheight):
        if isinstance(problem, str):
            return _plain(400, problem)
    article = article_at(request, request.GET["url"])
    if article is None:
        return _plain(404, "That address is not a published article on this site.")
    assert not isinstance(maxwidth, str) and not isinstance(maxheight, str)
    answer = describe(article, base_url(request), maxwidth, maxheight)
    if format == "xml":
        response = HttpResponse(_as_xml(answer), content_type="text/xml; charset=utf-8")
    else:
        response = HttpResponse(json.dumps(answer), content_type="application/json")
    # Public data without cookies: any page's script may read it.
    response["Access-Control-Allow-Origin"] = "*"
    return documents.kept(request, response, depends.of_article(article))
