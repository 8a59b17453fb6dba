"""Tags for a page's <head>: its canonical address, and JSON-LD that cannot end its script.

{% canonical_link %}: <link rel="canonical"> with the page's absolute address (the view's
`canonical_url` when it gives one), without any query but a list's page number.
{{ data|json_ld }}: <script type="application/ld+json"> holding the data, with <, > and &
written as JSON escapes, so no text in it (a title such as "</script><script>...") can
close the element or open another.
"""

from __future__ import annotations

import json
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from knowhow.links import absolute_url

register = template.Library()

_JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.filter
def json_ld(data: Any) -> SafeString:
    text = json.dumps(data, ensure_ascii=False).translate(_JSON_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308 - JSON with every character that could end the script escaped
    )


def canonical_url(context: template.Context) -> str:
    given = context.get("canonical_url")
    if given:
        return str(given)
    request = context["request"]
    number = getattr(context.get("page"), "number", None)
    query = f"?page={number}" if isinstance(number, int) and number > 1 else ""
    return absolute_url(request, request.path + query)


@register.simple_tag(takes_context=True)
def canonical_link(context: template.Context) -> SafeString:
    return format_html('<link rel="canonical" href="{}">', canonical_url(context))
