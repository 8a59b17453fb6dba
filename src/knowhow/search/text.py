"""What the index reads of an article, and how a reader's query is read into terms.

A query is never handed to the database as written: it is cut into words and quoted
phrases here, and each backend builds its own match expression from those, so quotes,
stars, colons, brackets or operator words in a query are only ever words or nothing.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags

from knowhow.articles.models import STOPWORDS

# Words too common to find anything by; dropped from queries (not from quoted phrases).
QUERY_STOPWORDS = STOPWORDS | frozenset(
    "a an and are as at be by do for he i if in is it me my no of on or so to up us we".split()  # noqa: SIM905
)
_TOKEN = re.compile(r"\w+", re.UNICODE)
_VOCABULARY_WORD = re.compile(r"[^\W\d_]{3,40}", re.UNICODE)
MAX_TERMS = 12
SUMMARY_CHARS = 300


@dataclass(frozen=True)
class Document:
    """An article as the index holds it: plain text in four weighted fields."""

    pk: int
    title: str
    summary: str
    topic: str
    body: str
    # Its article's language ("" is the site's): which stemming the index gives it.
    language: str = ""

    def words(self) -> set[str]:
        return vocabulary_words(self.title, self.summary, self.topic, self.body)


_BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote|pre|tr)>", re.IGNORECASE)


def plain_text(body_html: str) -> str:
    # Blocks end in a blank line, so a heading and the paragraph after it stay apart.
    return html.unescape(strip_tags(_BLOCK_END.sub(r"\g<0>\n\n", body_html))).strip()


def document(pk: int, title: str, topic: str, body_html: str, language: str = "") -> Document:
    body = plain_text(body_html)
    # The summary is the opening paragraph: what the article says it is about.
    summary = body.split("\n\n", 1)[0][:SUMMARY_CHARS]
    return Document(pk=pk, title=title, summary=summary, topic=topic, body=body, language=language)


def word_list(text: str) -> list[str]:
    return [word.lower() for word in _VOCABULARY_WORD.findall(text)]


def vocabulary_words(*texts: str) -> set[str]:
    return {word for text in texts for word in word_list(text)}


@dataclass(frozen=True)
class Query:
    """A reader's query: words every result has, phrases it has as written, and
    whether the last word may be the start of a longer one."""

    words: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    prefix: str = ""

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases or self.prefix)

    def all_words(self) -> list[str]:
        found = [*self.words, *(word for phrase in self.phrases for word in phrase)]
        return [*found, self.prefix] if self.prefix else found


def parse(text: str) -> Query:
    """Cut a query into words and "quoted phrases"; an unclosed quote runs to the end."""
    text = text[:500]
    words: list[str] = []
    phrases: list[list[str]] = []
    for n, part in enumerate(text.split('"')):
        tokens = [t.lower() for t in _TOKEN.findall(part)]
        if n % 2:
            if len(tokens) > 1:
                phrases.append(tokens[:MAX_TERMS])
            else:
                words.extend(tokens)
        else:
            words.extend(t for t in tokens if t not in QUERY_STOPWORDS)
    prefix = ""
    # The last word may be the start of a longer one, as the reader may still be typing
    # it: not when it closes a phrase, and only when long enough not to match half the index.
    tokens = _TOKEN.findall(text)
    ends_with_word = text.count('"') % 2 == 0 and not text.rstrip().endswith('"')
    last_is_open = ends_with_word and words and tokens and tokens[-1].lower() == words[-1]
    if last_is_open and len(words[-1]) >= 3:
        prefix = words.pop()
    unique = list(dict.fromkeys(words))
    return Query(words=unique[:MAX_TERMS], phrases=phrases[:4], prefix=prefix)
