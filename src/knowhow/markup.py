"""Markdown to safe HTML: full Markdown for articles, Markdown-lite for reader posts.

Every path ends in nh3, so whatever the Markdown parser lets through, only the
allowed tags and attributes reach a reader's browser.
"""

from __future__ import annotations

import html as html_module
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import nh3
from django.utils.text import Truncator, slugify
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
    "sup", "sub", "figure", "figcaption", "abbr", "bdi",
}  # fmt: skip
ARTICLE_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    # A Latin name or a number inside right-to-left text, kept in its own order and voice.
    "bdi": {"lang", "dir"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
POST_TAGS = {"p", "br", "em", "strong", "a", "code"}
POST_ATTRIBUTES = {"a": {"href"}}
URL_SCHEMES = {"http", "https", "mailto"}


# A picture from the library in an article body: `![alt](picture:42 "caption")`. The body
# keeps the picture's id, never an address; the page draws it as the lead image is drawn,
# with the library's alt text and the reference's caption (else the library's).
PICTURE_SCHEME = "picture:"
_PICTURE_REFERENCE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*<?picture:(\d{1,18})\b")

# Draws the pictures a body names, given as (id, caption or None) in order: the HTML of each
# figure, or "" for an id the library does not hold (that reference is not shown).
Pictures = Callable[[Sequence[tuple[int, str | None]]], Sequence[str]]


def picture_ids(markdown: str) -> list[int]:
    """The library pictures a body names, by id, in order of first appearance."""
    seen: dict[int, None] = {}
    for match in _PICTURE_REFERENCE.finditer(markdown):
        seen.setdefault(int(match.group(1)), None)
    return list(seen)


def renumber_pictures(markdown: str, new_ids: Mapping[int, int]) -> str:
    """The body with its picture references pointed at other ids (an import's pictures)."""

    def renumber(match: re.Match[str]) -> str:
        old = int(match.group(1))
        start, end = match.span(1)
        head = match.group(0)[: start - match.start()]
        return f"{head}{new_ids.get(old, old)}{match.group(0)[end - match.start() :]}"

    return _PICTURE_REFERENCE.sub(renumber, markdown)


def picture_reference(picture_id: int, alt: str, caption: str = "") -> str:
    """The Markdown the editor inserts for a library picture."""
    alt = re.sub(r"([\\\[\]])", r"\\\1", " ".join(alt.split()))
    caption = re.sub(r'([\\"])', r"\\\1", " ".join(caption.split()))
    title = f' "{caption}"' if caption else ""
    return f"![{alt}]({PICTURE_SCHEME}{picture_id}{title})"


_plain_image = _article_md.renderer.rules["image"]  # type: ignore[attr-defined]


def _picture_or_image(renderer: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    """An image whose address is a library reference becomes a marker only this render
    knows (its nonce), replaced by the drawn picture once the HTML is sanitised."""
    token = tokens[idx]
    src = str(token.attrGet("src") or "")
    if not src.startswith(PICTURE_SCHEME):
        return str(_plain_image(tokens, idx, options, env))
    number = src[len(PICTURE_SCHEME) :]
    if not number.isdigit() or "pictures" not in env:
        return ""  # a reference nothing can draw here (a source line) is left out
    found = env["pictures"]
    found.append((int(number), str(token.attrGet("title") or "").strip() or None))
    return f"{env['nonce']}{len(found) - 1}."


_article_md.add_render_rule("image", _picture_or_image)


def render_article(markdown: str, pictures: Pictures | None = None) -> str:
    """An article body, Markdown with optional HTML, as sanitised HTML.

    `pictures` draws the library pictures the body names (see Pictures); without it they are
    left out. Their HTML goes in after sanitising, built from the library's own words."""
    env: dict[str, Any] = {"pictures": [], "nonce": f"kh-picture-{secrets.token_hex(8)}-"}
    html = nh3.clean(
        _article_md.render(markdown, env),
        tags=ARTICLE_TAGS,
        attributes=ARTICLE_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener",
    )
    html = _wrap_tables(name_headings(html))
    named: list[tuple[int, str | None]] = env["pictures"]
    if not named:
        return html
    drawn = list(pictures(named)) if pictures is not None else [""] * len(named)
    nonce = re.escape(env["nonce"])

    def alone(match: re.Match[str]) -> str:
        return drawn[int(match.group(1))]

    def in_text(match: re.Match[str]) -> str:
        figure = drawn[int(match.group(1))]
        return f"</p>{figure}<p>" if figure else ""  # a figure never sits inside a paragraph

    # A picture alone in its paragraph becomes the figure; one in running text splits it.
    html = re.sub(rf"<p>\s*{nonce}(\d+)\.\s*</p>", alone, html)
    html = re.sub(rf"{nonce}(\d+)\.", in_text, html)
    return html.replace("<p></p>", "")


_HEADING = re.compile(r"<(h[23])>(.*?)</\1>", re.S)
_TABLE = re.compile(r"<table>(.*?)</table>", re.S)
_HEADER_CELL = re.compile(r"<th[^>]*>(.*?)</th>", re.S)
_TAG = re.compile(r"<[^>]+>")
# Ids the article page's own parts use: a heading never takes one of them.
PAGE_IDS = frozenset({"main", "article-title", "details-heading", "contents-heading"})


def _plain(fragment: str) -> str:
    return " ".join(html_module.unescape(_TAG.sub("", fragment)).split())


def name_headings(html: str) -> str:
    """Give each section heading of rendered article HTML an id from its words (unique in the
    body), so a table of contents and other sites can link to the section; render_article
    ends with it, and so does anything that writes article HTML itself."""
    taken: set[str] = set(PAGE_IDS)

    def named(match: re.Match[str]) -> str:
        base = slugify(_plain(match.group(2)))[:60].strip("-") or "section"
        anchor, n = base, 2
        while anchor in taken:
            anchor, n = f"{base}-{n}", n + 1
        taken.add(anchor)
        return f'<{match.group(1)} id="{anchor}">{match.group(2)}</{match.group(1)}>'

    return _HEADING.sub(named, html)


def _wrap_tables(html: str) -> str:
    """Each table in a box that scrolls sideways on its own (a phone shows the page, not the
    table, at its width), which keyboard users can reach and screen readers name."""

    def wrapped(match: re.Match[str]) -> str:
        headers = [_plain(cell) for cell in _HEADER_CELL.findall(match.group(1))]
        name = "Table: " + ", ".join(h for h in headers if h) if any(headers) else "Table"
        label = html_module.escape(Truncator(name).chars(120), quote=True)
        return (
            f'<div class="table-scroll" role="region" tabindex="0" aria-label="{label}">'
            f"{match.group(0)}</div>"
        )

    return _TABLE.sub(wrapped, html)


def contents(body_html: str) -> list[tuple[int, str, str]]:
    """The body's section headings as (level, id, words), in order: its table of contents."""
    found = re.finditer(r'<(h[23]) id="([^"]+)">(.*?)</\1>', body_html, re.S)
    return [(int(m.group(1)[1]), m.group(2), _plain(m.group(3))) for m in found]


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
        html = link_mentions(html, mention_url)
    return html


def mentioned_names(text: str) -> list[str]:
    """The distinct @names in a post, in order of first appearance."""
    seen: dict[str, None] = {}
    for match in _MENTION.finditer(text):
        seen.setdefault(match.group(1), None)
    return list(seen)


_TAG_OR_TEXT = re.compile(r"(<a\b.*?</a>|<[^>]+>)", re.DOTALL | re.IGNORECASE)


def link_mentions(html: str, mention_url: Callable[[str], str | None]) -> str:
    """Link @names in the text nodes of a rendered post, never inside an existing link or a
    tag: a string pass, so a post rendered once can be linked after its names are resolved."""

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
