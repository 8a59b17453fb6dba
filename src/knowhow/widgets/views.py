"""The widget gallery, and the widgets other sites embed: an iframe page, the data the
script reads, and the script itself.

Widget answers hold nothing of a visitor's own: rendered without the request's context
(no session, no sign-in, no CSRF token), they set no cookie and do not vary by cookie, so
browsers and CDNs may keep them for WIDGET_MAX_AGE seconds. Only the iframe pages may be
framed by other sites; only the data may be read by other sites' scripts.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from csp.decorators import csp_replace
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.cache import get_conditional_response, set_response_etag
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from knowhow import languages, pagecache
from knowhow.articles import selectors as articles
from knowhow.articles.models import LISTS_TAG, TOPICS_TAG, Topic
from knowhow.facts.models import FACTS_TAG
from knowhow.links import absolute_url
from knowhow.widgets import content
from knowhow.widgets.options import (
    COUNT_MAX,
    COUNT_MIN,
    KINDS,
    THEMES,
    WIDTH_MAX,
    WIDTH_MIN,
    Options,
    parse,
)

SCRIPT = Path(__file__).parent / "static" / "widgets" / "embed.js"
# Articles offered for the card in the gallery's menu (the newest, and the one asked for).
CARD_CHOICES = 20

# Other sites may frame these pages (and only these): every other page keeps 'none'.
framed_anywhere: Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]] = csp_replace(
    {"frame-ancestors": ["*"]}
)  # type: ignore[assignment]


def _options(kind: str, request: HttpRequest) -> Options:
    if kind not in KINDS:
        raise Http404("No such widget")
    return parse(kind, request.GET)


def _shared(
    request: HttpRequest,
    response: HttpResponse,
    tags: list[str],
    expires: Callable[[], Any] | None = None,
) -> HttpResponse:
    """A widget answer any cache may keep briefly: from the page cache when it runs, which
    drops it the moment its tags change; else with its own validator."""
    max_age = settings.WIDGET_MAX_AGE
    response["Cache-Control"] = f"public, max-age={max_age}"
    if pagecache.in_cache_mode(request):
        return pagecache.mark(request, response, tags, expires, max_age=max_age)
    set_response_etag(response)
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


def _site(request: HttpRequest) -> dict[str, str]:
    return {"name": settings.SITE_NAME, "url": absolute_url(request, reverse("home"))}


def _words() -> dict[str, str]:
    """The script's own words and the language they are in, for the widget's box."""
    code = translation.get_language() or settings.LANGUAGE_CODE
    return {
        "lang": code,
        "dir": languages.direction(code),
        # Translators: before the site's name under a widget, "From Knowhow".
        "from": _("From"),
        "more": _("more..."),
    }


@require_safe
@xframe_options_exempt
@framed_anywhere
def frame(request: HttpRequest, kind: str) -> HttpResponse:
    """The widget as a small page of its own, for an iframe: no script needed."""
    options = _options(kind, request)
    context: dict[str, Any] = {
        "options": options,
        "site": _site(request),
        "stylesheet": "widgets/frame.css",
    }
    try:
        widget = content.build(options)
    except content.NotFound as missing:
        context["problem"] = missing.message
        body = render_to_string("widgets/frame.html", context)
        return HttpResponse(body, status=404)
    context["widget"] = widget
    context["items"] = [
        {"item": item, "url": absolute_url(request, item.path)} for item in widget.items
    ]
    context["more_url"] = absolute_url(request, widget.more_path)
    response = HttpResponse(render_to_string("widgets/frame.html", context))
    return _shared(request, response, widget.tags, widget.expires)


@require_safe
def data(request: HttpRequest, kind: str) -> HttpResponse:
    """The widget's content for the script, readable by any site's page."""
    options = _options(kind, request)
    site = _site(request)
    try:
        widget = content.build(options)
    except content.NotFound as missing:
        response: HttpResponse = JsonResponse(
            {"error": missing.message, "site": site, "words": _words()}, status=404
        )
        response["Access-Control-Allow-Origin"] = "*"
        return response
    payload = {
        "site": site,
        "widget": options.kind,
        "title": widget.title,
        "theme": options.theme,
        "width": options.width,
        "items": [
            {
                "text": item.text,
                "url": absolute_url(request, item.path),
                "meta": item.meta,
                "summary": item.summary,
            }
            for item in widget.items
        ],
        "more": {"text": widget.more_text, "url": absolute_url(request, widget.more_path)},
        "empty": widget.empty,
        "words": _words(),
    }
    response = JsonResponse(payload)
    response["Access-Control-Allow-Origin"] = "*"
    return _shared(request, response, widget.tags, widget.expires)


@functools.cache
def _script() -> bytes:
    return SCRIPT.read_bytes()


@require_safe
def script(request: HttpRequest) -> HttpResponse:
    """The embedding script at an address that never changes, unlike hashed static files."""
    body = _script()
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = f"public, max-age={settings.WIDGET_MAX_AGE}"
    response["ETag"] = '"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'
    return get_conditional_response(request, etag=response["ETag"], response=response) or response


def iframe_snippet(options: Options, url: str) -> str:
    """The HTML another site pastes to show a widget in a frame."""
    return format_html(
        '<iframe src="{}" width="{}" height="{}" title="{} from {}" loading="lazy" '
        'style="border:0;max-width:100%"></iframe>',
        url,
        options.width,
        options.height,
        options.name,
        settings.SITE_NAME,
    )


def _script_snippet(options: Options, url: str) -> str:
    names = {"topic": options.topic} if options.kind == "topic" else {}
    if options.kind == "article":
        names = {"article": options.article}
    if options.is_list:
        names["count"] = str(options.count)
    attributes = {
        "widget": options.kind,
        **names,
        "theme": options.theme,
        "width": str(options.width),
    }
    data = format_html_join("", ' data-{}="{}"', attributes.items())
    return format_html('<script async src="{}"{}></script>', url, data)


@require_safe
def gallery(request: HttpRequest) -> HttpResponse:
    """Every widget with its options, a preview and its two snippets; a GET form each, so
    it all works without JavaScript, which only makes the snippets follow the options live."""
    asked = request.GET.get("widget", "")
    topics = list(Topic.objects.all())
    recent = list(articles.recent_articles(CARD_CHOICES))
    problems = []
    wanted_article = request.GET.get("article", "").strip()[:200]
    card_article = articles.article_for_page(wanted_article) if wanted_article else None
    if wanted_article and card_article is None:
        problems.append(_("There is no article “%(name)s” here.") % {"name": wanted_article})
    wanted_topic = request.GET.get("topic", "").strip()[:200] if asked == "topic" else ""
    if wanted_topic and not any(topic.slug == wanted_topic for topic in topics):
        problems.append(_("There is no topic “%(name)s” here.") % {"name": wanted_topic})
    if card_article is None and recent:
        card_article = recent[0]
    cards = list(recent)
    if card_article is not None and card_article not in cards:
        cards.insert(0, card_article)
    defaults = {
        "topic": topics[0].slug if topics else "",
        "article": card_article.slug if card_article else "",
    }
    script_url = absolute_url(request, reverse("widget-script"))
    sections = []
    for kind in KINDS:
        options = parse(kind, request.GET if asked == kind and not problems else {})
        options = options.with_defaults(**defaults)
        query = options.query()
        frame_url = absolute_url(request, reverse("widget-frame", args=[kind]))
        sections.append(
            {
                "options": options,
                "frame_url": frame_url,
                "iframe_snippet": iframe_snippet(options, f"{frame_url}?{query}"),
                "script_snippet": _script_snippet(options, script_url),
                "preview": reverse("widget-frame", args=[kind]) + "?" + query,
                "query": query,
                "available": kind not in ("topic", "article")
                or (options.topic if kind == "topic" else options.article),
            }
        )
    context = {
        "problems": problems,
        "sections": sections,
        "topics": topics,
        "cards": cards,
        "themes": THEMES,
        "script_url": script_url,
        "limits": {
            "count_min": COUNT_MIN,
            "count_max": COUNT_MAX,
            "width_min": WIDTH_MIN,
            "width_max": WIDTH_MAX,
        },
    }
    # A topic or article asked for that is not here: said plainly, with every widget shown.
    response = render(request, "widgets/gallery.html", context, status=404 if problems else 200)
    tags = [LISTS_TAG, TOPICS_TAG, FACTS_TAG, *(a.cache_tag for a in cards)]
    return pagecache.mark(request, response, tags, articles.next_publication)
