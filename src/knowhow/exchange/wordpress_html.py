"""WordPress post HTML as an article body: block comments and shortcodes gone, paragraphs
made the way WordPress makes them, and only the HTML an article may hold kept.

The result is HTML blocks inside the article's Markdown, so a `*` or `#` a WordPress author
typed stays a character rather than becoming formatting.
"""

from __future__ import annotations

import html
import re

import nh3

from knowhow import markup

# Block comments of the WordPress editor (`<!-- wp:paragraph -->`) and any other comment.
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# `[name attrs]`, `[name attrs /]` or `[/name]`; `[[name]]` is WordPress's escape for a
# literal shortcode and is left as text.
_SHORTCODE = re.compile(r"(?<!\[)\[(/?)([a-zA-Z][\w-]*)((?:\s[^\]]*?)?)(/?)\](?!\])")
# Shortcodes that stand alone (no closing tag) and show something this site cannot:
# dropped. An unknown name in brackets without a closing tag is left as text, as
# WordPress itself leaves it.
_STANDALONE = frozenset(
    {"gallery", "audio", "video", "playlist", "embed", "wp_caption", "caption", "contact-form",
     "contact-form-7", "product", "products", "recent-posts", "wpforms", "ninja_form"}
)  # fmt: skip
_ATTRIBUTE = re.compile(r"""([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|(\S+))""")
_BLOCK = (
    "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|"
    "area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|"
    "hgroup|header|footer|nav|figure|figcaption|details|menu|summary"
)
_STARTS_BLOCK = re.compile(rf"^\s*</?(?:{_BLOCK})\b", re.IGNORECASE)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


def _attributes(text: str) -> dict[str, str]:
    return {
        m.group(1).lower(): html.unescape(m.group(2) or m.group(3) or m.group(4) or "")
        for m in _ATTRIBUTE.finditer(text)
    }


def _caption(attrs: dict[str, str], inner: str) -> str:
    """`[caption]<img ...> Words[/caption]` as a figure: the picture, then its caption."""
    pictures = _IMG.findall(inner)
    words = _IMG.sub("", inner)
    # A linked picture leaves an empty link behind.
    words = re.sub(r"<a\b[^>]*>\s*</a>", "", words).strip()
    words = words or attrs.get("caption", "")
    figure = "".join(pictures)
    if words:
        figure += f"<figcaption>{words}</figcaption>"
    return f"\n\n<figure>{figure}</figure>\n\n" if figure else ""


def _shortcodes(text: str) -> str:
    """Replace shortcodes from the innermost out: captions become figures, other enclosing
    shortcodes keep what they enclose, standalone ones are dropped."""
    for _ in range(50):  # nesting deeper than this is not something people write
        changed = False
        tokens = list(_SHORTCODE.finditer(text))
        # Find an opening tag whose closing tag follows with no shortcode of that name
        # between: the innermost pair of that name.
        for index, token in enumerate(tokens):
            closing, name = token.group(1), token.group(2).lower()
            if closing or token.group(4):
                continue
            inner_names: list[str] = []
            for later in tokens[index + 1 :]:
                later_name = later.group(2).lower()
                if later.group(1) and later_name == name:
                    inner = text[token.end() : later.start()]
                    if any(n == name for n in inner_names):
                        break
                    attrs = _attributes(token.group(3))
                    replacement = (
                        _caption(attrs, inner) if name in ("caption", "wp_caption") else inner
                    )
                    text = text[: token.start()] + replacement + text[later.end() :]
                    changed = True
                    break
                if not later.group(1):
                    inner_names.append(later_name)
            if changed:
                break
        if not changed:
            break

    def standalone(match: re.Match[str]) -> str:
        name = match.group(2).lower()
        if match.group(1):  # a closing tag left without its opening one
            return ""
        if name in _STANDALONE or match.group(4) or "=" in match.group(3):
            return ""
        return match.group(0)

    text = _SHORTCODE.sub(standalone, text)
    # `[[name]]` is how a WordPress author writes a shortcode's name as text.
    return re.sub(r"\[(\[/?[a-zA-Z][\w-]*[^\[\]]*\])\]", r"\1", text)


def _paragraphs(text: str) -> str:
    """WordPress's automatic paragraphs: text between blank lines is a paragraph, a single
    line break inside one is a <br>; blocks that are already HTML blocks stay as they are."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Block tags start and end their own chunks, as WordPress puts them on their own lines.
    text = re.sub(rf"(<(?:{_BLOCK})\b[^>]*>)", r"\n\n\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</(?:{_BLOCK})>)", r"\1\n\n", text, flags=re.IGNORECASE)
    chunks = [chunk.strip() for chunk in re.split(r"\n\s*\n", text)]
    out = []
    depth = 0
    for chunk in chunks:
        if not chunk:
            continue
        opens = len(re.findall(rf"<(?:{_BLOCK})\b", chunk, re.IGNORECASE))
        closes = len(re.findall(rf"</(?:{_BLOCK})>", chunk, re.IGNORECASE))
        if depth > 0 or _STARTS_BLOCK.match(chunk):
            out.append(chunk)
        else:
            out.append("<p>" + re.sub(r"\s*\n\s*", "<br>\n", chunk) + "</p>")
        depth = max(0, depth + opens - closes)
    return "\n\n".join(out)


def _alt_texts(text: str, alts: dict[str, str]) -> str:
    """Give pictures without alt text the alt text their attachment carries."""

    def fill(match: re.Match[str]) -> str:
        tag = match.group(0)
        alt = _ALT.search(tag)
        if alt is not None and alt.group(2).strip():
            return tag
        src = _SRC.search(tag)
        if src is None:
            return tag
        wanted = alts.get(_plain_url(html.unescape(src.group(1))))
        if not wanted:
            return tag
        if alt is not None:
            tag = _ALT.sub("", tag, count=1)
        return tag.replace("<img", f'<img alt="{html.escape(wanted)}"', 1)

    return _IMG.sub(fill, text)


def _plain_url(url: str) -> str:
    """A picture's address without WordPress's size suffix (`-300x200`) or query."""
    url = url.split("?")[0]
    return re.sub(r"-\d+x\d+(\.\w+)$", r"\1", url)


# Wrappers that carry layout, not meaning: their words are kept, the tags dropped.
_WRAPPER = re.compile(
    r"</?(?:div|section|article|aside|header|footer|nav|hgroup|main|span|font|center)\b[^>]*>",
    re.IGNORECASE,
)
_SCRIPTS = re.compile(r"<(script|style|iframe|object|noscript)\b.*?</\1\s*>", re.I | re.DOTALL)


def article_body(content: str, *, alts: dict[str, str] | None = None) -> str:
    """The body of an article from a post's `content:encoded`."""
    text = _COMMENT.sub("", content)
    text = _SCRIPTS.sub("", text)
    text = _WRAPPER.sub("", text)
    # The article's title is its only <h1>.
    text = re.sub(r"<(/?)h1\b", r"<\1h2", text, flags=re.IGNORECASE)
    text = _shortcodes(text)
    text = _alt_texts(text, {_plain_url(k): v for k, v in (alts or {}).items()})
    text = _paragraphs(text)
    cleaned = nh3.clean(
        text,
        tags=markup.ARTICLE_TAGS,
        attributes=markup.ARTICLE_ATTRIBUTES,
        url_schemes=markup.URL_SCHEMES,
        link_rel=None,
    )
    # nh3 drops disallowed tags but keeps their words; the blank lines between blocks are
    # what keeps each one an HTML block for the Markdown renderer.
    return re.sub(r"\n{3,}", "\n\n", cleaned).strip()
