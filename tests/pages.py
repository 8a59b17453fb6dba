"""Helpers to read rendered pages the way a reader sees them."""

from __future__ import annotations

import re
from html.parser import HTMLParser

# The labels of the article page's sections, in the order a reader meets them.
SECTION_LABELS = [
    "Article Details",
    "Written By",
    "Edited By",
    "Last Modified Date",
    "Print this Article",
    "Free Widgets for your Site/Blog",
    "Did you know",
    "On this day",
    "You might also Like",
    "Discuss this Article",
    "Post your comments",
    "Post Anonymously",
    "forgot password?",
]

_INLINE = {"a", "em", "strong", "code", "span", "time", "abbr", "b", "i", "sup", "sub", "del"}


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in {"script", "style", "head"}:
            self._skip += 1
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in {"script", "style", "head"}:
            self._skip -= 1
        if tag not in _INLINE:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def visible_text(html: str | bytes) -> str:
    """The page's text with tags removed and whitespace folded."""
    parser = _Text()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def post_numbers(html: str | bytes) -> list[int]:
    """The "Post N" headings in page order."""
    return [int(n) for n in re.findall(r"\bPost (\d+)\b", visible_text(html))]


def assert_in_order(text: str, labels: list[str]) -> None:
    """Each label appears in the text, each after the one before it."""
    at = 0
    for label in labels:
        found = text.find(label, at)
        assert found >= 0, f"{label!r} missing after position {at}: {text[at : at + 200]!r}"
        at = found + len(label)


def word_runs(text: str, length: int = 8) -> set[str]:
    """Every run of `length` consecutive words, to spot copied sentences."""
    words = re.findall(r"[a-z']+", text.lower())
    return {" ".join(words[i : i + length]) for i in range(len(words) - length + 1)}
