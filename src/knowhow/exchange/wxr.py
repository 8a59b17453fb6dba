"""Reading a WordPress export (WXR): its authors, posts and pages, attachments and comments.

Parsed with defusedxml, so a file that declares entities (the "billion laughs" bomb) or
reaches for external files is refused before anything expands. Every element keeps the
line it started on, so a refusal names the line to look at.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET  # noqa: N817 - only for its types and the tree builder
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import DefusedXMLParser
from django.utils import timezone

# The XML namespaces of a WXR file by the prefix it declares them under (WXR 1.0 to 1.2 use
# these prefixes, whatever address the exporter wrote: http or https, any version).
PREFIXES = ("excerpt", "wp", "content", "dc")
# A namespace declared under another prefix is still known by its address.
_NAMESPACES = (
    ("excerpt", re.compile(r"^https?://wordpress\.org/export/[\d.]+/excerpt/?$")),
    ("wp", re.compile(r"^https?://wordpress\.org/export/[\d.]+/?$")),
    ("content", re.compile(r"^https?://purl\.org/rss/1\.0/modules/content/?$")),
    ("dc", re.compile(r"^https?://purl\.org/dc/elements/1\.1/?$")),
)
IMPORTED_TYPES = ("post", "page")
# What WordPress statuses become here; other statuses (trash, auto-draft) are skipped.
STATUSES = {
    "publish": "published",
    "future": "scheduled",
    "draft": "draft",
    "pending": "draft",
    "private": "draft",
}


class WxrError(Exception):
    """A WXR file that cannot be imported: the line and the reason."""

    def __init__(self, line: int | None, reason: str) -> None:
        super().__init__(f"line {line}: {reason}" if line else reason)
        self.line, self.reason = line, reason


@dataclass(frozen=True)
class WxrComment:
    line: int
    id: str
    author: str
    date: dt.datetime
    text: str


@dataclass(frozen=True)
class WxrNotice:
    """An item skipped, or imported otherwise than it was in WordPress, and why."""

    line: int
    item: str  # "post 12 “Title”"
    reason: str


@dataclass(frozen=True)
class WxrItem:
    line: int
    id: str
    kind: str
    title: str
    slug: str
    author: str
    status: str
    date: dt.datetime | None
    modified: dt.date | None
    topic: str | None
    tags: tuple[str, ...]
    content: str
    excerpt: str
    comments: tuple[WxrComment, ...]
    # Password-protected in WordPress: imported as a draft, its comments kept but hidden.
    protected: bool = False
    # How it was imported otherwise than it was there, and why (WxrNotice's reason).
    changes: tuple[str, ...] = ()


@dataclass
class WxrSite:
    authors: dict[str, str] = field(default_factory=dict)
    items: list[WxrItem] = field(default_factory=list)
    # Picture address -> its alt text, from the attachments.
    alt_texts: dict[str, str] = field(default_factory=dict)
    # The items not imported, and why.
    skipped: list[WxrNotice] = field(default_factory=list)


def looks_like_wxr(path: Path) -> bool:
    """Whether a file is XML (so read as WXR) rather than Markdown: by its first bytes."""
    try:
        with path.open("rb") as handle:
            start = handle.read(512)
    except OSError:
        return False
    text = start.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return text.startswith((b"<?xml", b"<rss"))


class _LineNumbers(ET.TreeBuilder):
    """A tree builder that notes the line each element starts on."""

    def __init__(self) -> None:
        super().__init__()
        self.lines: dict[int, int] = {}
        self.parser: Any = None
        # Namespace address -> the prefix the file declares it under.
        self.prefixes: dict[str, str] = {}

    def start_ns(self, prefix: str, uri: str) -> None:
        if prefix in PREFIXES:
            self.prefixes.setdefault(uri, prefix)

    def start(self, tag: Any, attrs: Any) -> ET.Element:
        element = super().start(tag, attrs)
        if self.parser is not None:
            self.lines[id(element)] = self.parser.parser.CurrentLineNumber
        return element


def _short(tag: str, prefixes: dict[str, str]) -> str:
    if not tag.startswith("{"):
        return tag
    uri, _, local = tag[1:].partition("}")
    if uri in prefixes:
        return f"{prefixes[uri]}:{local}"
    for prefix, pattern in _NAMESPACES:
        if pattern.match(uri):
            return f"{prefix}:{local}"
    return local


def parse(raw: bytes) -> tuple[ET.Element, dict[int, int]]:
    """The document's root and the line of each element, or WxrError with the line."""
    builder = _LineNumbers()
    parser = DefusedXMLParser(target=builder)
    builder.parser = parser
    try:
        parser.feed(raw)
        root = parser.close()
    except DefusedXmlException as exc:
        line = parser.parser.CurrentLineNumber
        raise WxrError(
            line,
            f"the file declares entities or refers to other files ({type(exc).__name__}); "
            "a WordPress export does neither, so it is refused",
        ) from None
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(":")[0]
        raise WxrError(line, f"not well-formed XML ({reason}, column {column + 1})") from None
    for element in root.iter():
        element.tag = _short(element.tag, builder.prefixes)
    return root, builder.lines


def _text(element: ET.Element, name: str) -> str:
    child = _child(element, name)
    return (child.text or "").strip() if child is not None else ""


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if child.tag == name:
            return child
    return None


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if child.tag == name]


def _moment(gmt: str, local: str) -> dt.datetime | None:
    """A WordPress date: its GMT form, else the local one read in this site's time zone."""
    for value, zone in ((gmt, dt.UTC), (local, None)):
        if not value or value.startswith("0000"):
            continue
        try:
            moment = dt.datetime.strptime(value, "%Y-%m-%d %H:%M:%S")
        except ValueError:
            continue
        return moment.replace(tzinfo=zone) if zone else timezone.make_aware(moment)
    return None


def read_wxr(path: Path) -> WxrSite:
    """Parse a WXR file into what an import needs, or raise WxrError."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise WxrError(None, f"cannot be read ({exc.strerror})") from None
    root, lines = parse(raw)
    channel = _child(root, "channel")
    if root.tag != "rss" or channel is None:
        raise WxrError(lines.get(id(root), 1), "not a WordPress export (no <rss><channel>)")
    if _child(channel, "wp:wxr_version") is None:
        raise WxrError(
            lines.get(id(channel), 1),
            "an RSS feed, not a WordPress export (its channel has no wp:wxr_version)",
        )
    site = WxrSite()
    for author in _children(channel, "wp:author"):
        login = _text(author, "wp:author_login")
        site.authors[login] = _text(author, "wp:author_display_name") or login
    items = _children(channel, "item")
    for item in items:
        if _text(item, "wp:post_type") != "attachment":
            continue
        url = _text(item, "wp:attachment_url") or _text(item, "guid")
        for meta in _children(item, "wp:postmeta"):
            if _text(meta, "wp:meta_key") == "_wp_attachment_image_alt" and url:
                site.alt_texts[url] = _text(meta, "wp:meta_value")
    for item in items:
        line = lines.get(id(item), 0)
        kind = _text(item, "wp:post_type") or "post"
        wp_status = _text(item, "wp:status")
        status = STATUSES.get(wp_status)
        if kind == "attachment":
            continue  # a picture, read above for its alt text
        if kind not in IMPORTED_TYPES or status is None:
            named = f"{kind} {_text(item, 'wp:post_id') or '?'} “{_text(item, 'title')}”"
            why = (
                f"a {kind} is no article" if kind not in IMPORTED_TYPES
                else f"its status in WordPress is “{wp_status or 'none'}”"
            )  # fmt: skip
            site.skipped.append(WxrNotice(line, named, f"skipped: {why}"))
            continue
        site.items.append(_item(item, lines, line, kind, status))
    return site


def _item(item: ET.Element, lines: dict[int, int], line: int, kind: str, status: str) -> WxrItem:
    post_id = _text(item, "wp:post_id")
    title = html.unescape(_text(item, "title"))
    changes = []
    if not title:
        title = f"Untitled {kind} {post_id or line}"
        changes.append(f"it has no title, so it is imported as “{title}”: give it one")
    protected = bool(_text(item, "wp:post_password"))
    if protected:
        status = "draft"
        changes.append(
            "it is password-protected in WordPress, so it is imported as a draft that "
            "readers cannot see, and its comments are kept but not shown"
        )
    date = _moment(_text(item, "wp:post_date_gmt"), _text(item, "wp:post_date"))
    if status == "scheduled" and date is None:
        raise WxrError(line, f"scheduled {kind} {title!r} has no date to be published at")
    modified = _moment(_text(item, "wp:post_modified_gmt"), _text(item, "wp:post_modified"))
    categories = [c for c in _children(item, "category") if c.get("domain") == "category"]
    tags = [c for c in _children(item, "category") if c.get("domain") == "post_tag"]
    comments = []
    for comment in _children(item, "wp:comment"):
        if _text(comment, "wp:comment_approved") != "1":
            continue  # held, spam or trashed in WordPress
        if _text(comment, "wp:comment_type") in ("pingback", "trackback"):
            continue
        when = _moment(_text(comment, "wp:comment_date_gmt"), _text(comment, "wp:comment_date"))
        comment_line = lines.get(id(comment), line)
        if when is None:
            raise WxrError(comment_line, "a comment has no date")
        comments.append(
            WxrComment(
                line=comment_line,
                id=_text(comment, "wp:comment_id"),
                author=html.unescape(_text(comment, "wp:comment_author")),
                date=when,
                text=_text(comment, "wp:comment_content"),
            )
        )
    return WxrItem(
        line=line,
        id=post_id,
        kind=kind,
        title=title,
        slug=unquote(_text(item, "wp:post_name")),
        author=_text(item, "dc:creator"),
        status=status,
        date=date,
        modified=timezone.localtime(modified or date).date() if (modified or date) else None,
        topic=html.unescape((categories[0].text or "").strip()) if categories else None,
        tags=tuple(html.unescape((tag.text or "").strip()) for tag in tags),
        content=_text(item, "content:encoded"),
        excerpt=_text(item, "excerpt:encoded"),
        comments=tuple(sorted(comments, key=lambda c: (c.date, _number(c.id)))),
        protected=protected,
        changes=tuple(changes),
    )


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0
