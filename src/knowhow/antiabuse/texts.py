"""A reader's text read once: the HTML a page shows of it, what the spam guard reads in
it, and its fingerprint. Each is worked out on first use and shared by every step after
(the guard, the duplicate check, the store), so a post's Markdown is rendered once."""

from __future__ import annotations

from functools import cached_property

from knowhow import markup
from knowhow.antiabuse.fingerprints import body_fingerprint
from knowhow.antiabuse.reading import Reading, read_html


class ReaderText:
    """A reader's cleaned text, and what is read from it."""

    def __init__(self, text: str) -> None:
        self.text = text

    @classmethod
    def of(cls, text: str | ReaderText) -> ReaderText:
        return text if isinstance(text, ReaderText) else cls(text)

    @cached_property
    def html(self) -> str:
        """The sanitised HTML of the text, its @names not yet linked (markup.link_mentions)."""
        return markup.render_post(self.text)

    @cached_property
    def reading(self) -> Reading:
        """The text as the spam guard reads it: what a browser shows of that HTML."""
        return read_html(self.html)

    @cached_property
    def fingerprint(self) -> str:
        return body_fingerprint(self.text)
