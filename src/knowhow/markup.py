"""Markdown to safe HTML: full Markdown for articles, Markdown-lite for reader posts.

Every path ends in nh3, so whatever the Markdown parser lets through, only the
allowed tags and attributes reach a reader's browser.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import nh3
from markdown_it import MarkdownIt

_article_md = MarkdownIt("commonmark", {"html": True, "linkify": False, "typographer": False})
_article_md.enable("table")
_article_md.enable("strikethrough")

# Posts: paragraphs, line breaks, emphasis and links; no headings, images, HTML or code blocks.
_post_md = MarkdownIt("zero", {"breaks": True, "html": False})
_post_md.enable(["emphasis", "link", "newline", "escape", "backticks"])

ARTICLE_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "em", "strong", "del", "code", "pre",
    "blockquote", "ul", "ol", "li", "a", "img", "table", "thead", "tbody", "tr", "th", "td",
    "sup", "sub", "figure", "figcaption", "abbr",
}  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
POST_TAGS = {"p", "br", "em", "strong", "a", "code"}
POST_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


def render_article(markdown: str) -> str:
    """An article body, Markdown with optional HTML, as sanitised HTML."""
    html = _article_md.render(markdown)
    return nh3.clean(
        html,
        tags=ARTICLE_TAGS,
        attributes=ARTICLE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
    )


_MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_.+-]{1,150}?)(?=[^\w.+-]|[.+-](?:\W|$)|$)")


def render_post(text: str, mention_url: Callable[[str], str | None] | None = None) -> str:
    """A reader's post, Markdown-lite, as sanitised HTML with nofollow ugc links.

    mention_url maps a @name to the address of that reader's earlier post, or None
    to leave the name as plain text.
    """
    html = _post_md.render(text)
    html = nh3.clean(
        html,
        tags=POST_TAGS,
        attributes=POST_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
    )
    if mention_url is not None:
        html = _link_mentions(html, mention_url)
    return html


def mentioned_names(text: str) -> list[str]:
    """The distinct @names in a post, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in _MENTION.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


_TAG_OR_TEXT = re.compile(r"(<a\b.*?</a>|<[^>]+>)", re.DOTALL | re.IGNORECASE)


def _link_mentions(html: str, mention_url: Callable[[str], str | None]) -> str:
    """Link @names in text nodes, never inside an existing link or a tag."""

    def link(match: re.Match[str]) -> str:
        name = match.group(1)
        url = mention_url(name)
        if url is None:
            return match.group(0)
        return f'<a href="{url}" class="mention">@{name}</a>'

    parts = _TAG_OR_TEXT.split(html)
    for index, part in enumerate(parts):
        if part and not part.startswith("<"):
            parts[index] = _MENTION.sub(link, part)
    return "".join(parts)


SOURCE_TAGS = {"a", "em", "strong", "code", "cite", "i", "b"}


def render_sources(text: str) -> str:
    """An article's sources, one per line of Markdown, as a numbered list whose items a body
    can cite by link (`[1](#source-1)`); empty text gives no list."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    items = []
    for number, line in enumerate(lines, start=1):
        # A leading "1." or "-" written by habit is the list's own numbering, not the source.
        line = re.sub(r"^(?:\d+[.)]|[-*+])\s+", "", line)
        inner = nh3.clean(
            _article_md.renderInline(line),
            tags=SOURCE_TAGS,
            attributes={"a": {"href", "title"}},
            url_schemes=URL_SCHEMES,
            link_rel="noopener",
        )
        items.append(f'<li id="source-{number}">{inner}</li>')
    if not items:
        return ""
    return '<ol class="sources">' + "".join(items) + "</ol>"
