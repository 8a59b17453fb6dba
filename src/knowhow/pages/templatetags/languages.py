"""{{ code|text_direction }}: "rtl" or "ltr" for a language code.
{% lang_attrs code %}: ` lang=".." dir=".."` for an element in another language than the
page's (an article in Spanish on an English page), nothing when they are the same.
{% interface_attrs code %}: ` lang=".." dir=".."` of the page, for the interface's own words
inside such an element (an Arabic article's details on an English page), else nothing."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from knowhow import languages

register = template.Library()


@register.filter
def text_direction(code: str) -> str:
    return languages.direction(str(code))


@register.simple_tag(takes_context=True)
def lang_attrs(context: dict[str, Any], code: str) -> SafeString:
    if not code or code == context.get("page_lang"):
        return SafeString("")
    return format_html(' lang="{}" dir="{}"', code, languages.direction(code))


@register.simple_tag(takes_context=True)
def interface_attrs(context: dict[str, Any], code: str) -> SafeString:
    page = str(context.get("page_lang") or "")
    if not code or not page or code == page:
        return SafeString("")
    return format_html(' lang="{}" dir="{}"', page, languages.direction(page))
