"""{% form_csrf %}: Django's CSRF field, a hole when the page goes to the page cache;
{% fragment %}: a part of a page kept rendered until what it shows changes, with each
viewer's own bits (holes) filled in as it goes out."""

from __future__ import annotations

from typing import Any

from django import template
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from knowhow import languages
from knowhow.pagecache.fragments import fragments, kept_part
from knowhow.pagecache.holes import hole

register = template.Library()


@register.simple_tag(takes_context=True)
def form_csrf(context: dict[str, Any]) -> SafeString:
    request = context.get("request")
    if request is None:  # rendered outside a request, as Django's {% csrf_token %}: nothing
        return SafeString("")
    value = hole(request, "csrf", "", lambda: get_token(request))
    return format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', value)


class FragmentNode(template.Node):
    def __init__(
        self, nodelist: template.NodeList, key: template.base.FilterExpression,
        tags: template.base.FilterExpression, expires: template.base.FilterExpression | None,
    ) -> None:  # fmt: skip
        self.nodelist, self.key, self.tags, self.expires = nodelist, key, tags, expires

    def render(self, context: template.Context) -> str:
        key = self.key.resolve(context)
        if not key:  # this visitor's own version of the part: render it live
            return self.nodelist.render(context)
        if languages.several():  # its words are in the page's language
            key = f"{key}|{translation.get_language()}"
        tags = self.tags.resolve(context) or []
        expires = self.expires.resolve(context) if self.expires else None
        moment = expires.timestamp() if expires else None
        request = context.get("request")
        if request is None:
            return mark_safe(  # noqa: S308 - the template's own output, kept as rendered
                fragments().get_or_render(
                    str(key), tags, moment, lambda: self.nodelist.render(context)
                )
            )
        kept = kept_part(request, str(key), tags, moment, lambda: self.nodelist.render(context))
        return mark_safe(kept)  # noqa: S308 - the template's own output, kept as rendered


@register.tag
def fragment(parser: template.base.Parser, token: template.base.Token) -> FragmentNode:
    """{% fragment key tags [expires] %}...{% endfragment %}: the enclosed part, kept
    rendered under `key` until a tag in `tags` changes (or `expires`); an empty key renders
    it live."""
    bits = token.split_contents()
    if len(bits) not in (3, 4):
        raise template.TemplateSyntaxError("{% fragment key tags [expires] %}")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    expires = parser.compile_filter(bits[3]) if len(bits) == 4 else None
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), expires
    )
