"""{% form_csrf %}: Django's CSRF field, as a hole when the page goes to the page cache."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.utils.html import format_html
from django.utils.safestring import SafeString

from knowhow.pagecache.holes import hole

register = template.Library()


@register.simple_tag(takes_context=True)
def form_csrf(context: dict[str, Any]) -> SafeString:
    request = context["request"]
    value = hole(request, "csrf", "", lambda: get_token(request))
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', value)
