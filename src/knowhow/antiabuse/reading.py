"""How the spam guard reads a post: what a reader's browser shows, not the Markdown sent.

A post is rendered and sanitised as the page will show it; its links are the hrefs of
that HTML, resolved against the site's address the way a browser does (protocol-relative,
`https:host`, backslashes, entities, percent-encoded and international hosts, a user name
before the host), plus addresses written out in its text. Its words are its visible text
folded so that invisible characters, compatibility forms, case, accents and letters
borrowed from another script to look Latin make no difference.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote

import regex
from ada_url import URL
from confusable_homoglyphs import confusables

from knowhow.links import site_url
from knowhow.markup import render_post

# A blocks' end: words either side of it stay apart.
_BLOCKS = {"p", "br", "li", "blockquote", "pre"}
# Addresses written out in the text (a post's text is not linked, but readers copy it).
_WRITTEN_URL = re.compile(
    r"(?:(?<![\w.+-])(?:https?|mailto):|(?<![\w.-])www\.)[^\s<>()\[\]{}\"'`]+"
)
_WEB_SCHEMES = ("http:", "https:")


# Characters a browser draws as nothing: zero-width spaces, joiners, variation selectors,
# Hangul and Mongolian fillers, tag characters (Unicode's Default_Ignorable_Code_Point).
_IGNORABLE = regex.compile(r"\p{Default_Ignorable_Code_Point}")


def visible(text: str) -> str:
    """The text without the characters that render as nothing, nor format characters."""
    shown = _IGNORABLE.sub("", text)
    return "".join(char for char in shown if unicodedata.category(char) != "Cf")


def fold(text: str) -> str:
    """Text as the guard compares it: invisible and format characters (zero-width, bidi
    controls, soft hyphens, fillers) removed, compatibility forms folded (NFKC: fullwidth
    letters, ligatures), case folded and accents dropped, so that what looks alike to a
    reader compares alike."""
    if text.isascii():  # nothing in ASCII is invisible, a compatibility form or an accent
        return text.lower()
    folded = unicodedata.normalize("NFKC", visible(text)).casefold()
    bare = "".join(
        char for char in unicodedata.normalize("NFD", folded) if not unicodedata.combining(char)
    )
    # NFKC can turn one filler into another (halfwidth to full): strip again once folded.
    plain = visible(unicodedata.normalize("NFKC", bare))
    return _LETTERS_OF_WORD.sub(_latin_lookalike, plain)


_LETTERS_OF_WORD = re.compile(r"[^\W\d_]+")


def _latin_lookalike(match: re.Match[str]) -> str:
    """A Latin word written with some letters from another script that look the same
    (Cyrillic "і" in "vіagra", Greek "ο"), compared as the word it mimics. A word with no
    Latin letter, or with a letter that looks like none, is another language: left alone."""
    word = match.group()
    if word.isascii() or not any(char.isascii() for char in word):
        return word
    swaps = confusables.is_confusable(word, greedy=True, preferred_aliases=["latin"]) or []
    latin = {
        found["character"]: next(
            (glyph["c"] for glyph in found["homoglyphs"] if _is_ascii_letter(glyph["c"])), ""
        )
        for found in swaps
    }
    if not all(char.isascii() or latin.get(char) for char in word):
        return word
    return "".join(char if char.isascii() else latin[char].casefold() for char in word)


def _is_ascii_letter(text: str) -> bool:
    return len(text) == 1 and text.isascii() and text.isalpha()


def host_name(domain: str) -> str:
    """A domain as a browser looks it up: punycode, lower case, no trailing dot; "" when no
    browser would accept it as a host."""
    try:
        host = URL(f"http://{visible(domain).strip()}/").hostname
    except ValueError:
        return ""
    return host.rstrip(".").removeprefix("www.")


def _site_bases() -> tuple[str, str, str]:
    """The site's own host, and its address over https and http: a page may be read over
    either, and `https:host` resolves differently on each."""
    return _bases_of(site_url() + "/")


@functools.lru_cache(maxsize=8)
def _bases_of(site: str) -> tuple[str, str, str]:
    parsed = URL(site)
    other = ("http:" if parsed.protocol == "https:" else "https:") + site.split(":", 1)[1]
    return host_name(parsed.host), site, other


def hosts_of(href: str) -> frozenset[str]:
    """The hosts a browser on the site could reach by following href, the site's own
    excluded; for mailto, the domains of its addresses."""
    own, *bases = _site_bases()
    hosts: set[str] = set()
    for base in bases:
        try:
            url = URL(href, base)
        except ValueError:
            continue
        if url.protocol in _WEB_SCHEMES:
            hosts.add(host_name(url.hostname))
        elif url.protocol == "mailto:":
            for address in unquote(url.pathname).split(","):
                hosts.add(host_name(address.rpartition("@")[2]))
    return frozenset(hosts - {own, ""})


@dataclass(frozen=True)
class Link:
    """A link out of the site: how it was written, and where a browser would go."""

    href: str
    hosts: frozenset[str]


@dataclass(frozen=True)
class Reading:
    """A post as the guard judges it."""

    links: tuple[Link, ...]
    # The visible text, folded (see fold).
    text: str
    # The links' addresses as written, decoded and folded: words hide in them too.
    addresses: str

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset().union(*(link.hosts for link in self.links))


class _PageText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.hrefs: list[str] = []
        self.text: list[str] = []
        self.outside_links: list[str] = []
        self._in_link = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._in_link += 1
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)
        elif tag in _BLOCKS:
            self._data("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._in_link = max(0, self._in_link - 1)
        elif tag in _BLOCKS:
            self._data("\n")

    def handle_data(self, data: str) -> None:
        self._data(data)

    def _data(self, data: str) -> None:
        self.text.append(data)
        self.outside_links.append(" " if self._in_link else data)


def read_post(body: str) -> Reading:
    """What a reader's browser makes of a post's text: its links out and its words."""
    return read_html(render_post(body))


def read_html(html: str) -> Reading:
    """What a reader's browser makes of a post rendered by markup.render_post (its @names
    not linked: a mention is the site's own link, and must hide no written address)."""
    page = _PageText()
    page.feed(html)
    page.close()
    text = fold("".join(page.text))
    written = _WRITTEN_URL.findall(fold("".join(page.outside_links)))
    links = []
    for href in [*page.hrefs, *(_with_scheme(url) for url in written)]:
        hosts = hosts_of(href)
        if hosts:
            links.append(Link(href, hosts))
    addresses = "\n".join(fold(unquote(href)) for href in page.hrefs)
    return Reading(links=tuple(links), text=text, addresses=addresses)


def _with_scheme(written: str) -> str:
    return f"http://{written}" if written.startswith("www.") else written
