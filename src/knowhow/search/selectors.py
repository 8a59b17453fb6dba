"""Reads for the results page: a page of matching articles, and close spellings."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator

from knowhow.articles.models import Article
from knowhow.search.backends import MOST_COUNTED, Hit, Index, for_connection
from knowhow.search.models import Word
from knowhow.search.text import QUERY_STOPWORDS, Query, parse

PAGE_SIZE = 10
# How many vocabulary words of about the same length and first letter a misspelling is
# compared with: bounded, so a large vocabulary costs no more than this.
SPELLING_CANDIDATES = 4000


class _Hits:
    """The matches of a query as a sequence the paginator slices: one count, one page."""

    def __init__(self, index: Index, query: Query) -> None:
        self.index, self.query = index, query
        self.counted = index.count(query)

    def count(self) -> int:
        return min(self.counted, MOST_COUNTED)

    def __getitem__(self, window: slice) -> list[Hit]:
        start, stop = window.start or 0, window.stop or 0
        hits = self.index.query(self.query, start, stop - start)
        articles = Article.objects.select_related("topic", "lead_image").in_bulk(
            [hit.pk for hit in hits]
        )
        for hit in hits:
            object.__setattr__(hit, "article", articles.get(hit.pk))
        return [hit for hit in hits if getattr(hit, "article", None) is not None]


@dataclass(frozen=True)
class Results:
    text: str
    query: Query
    page: Page[Any] | None
    suggestion: str
    more_than: int = 0

    @property
    def nothing(self) -> bool:
        return self.page is None or self.page.paginator.count == 0


def search(text: str, page_number: str | int | None = 1, language: str = "") -> Results:
    """A page of the published articles in `language` (the site's by default) matching
    the text, stemmed as that language is where the database can."""
    text = " ".join(text.split())[:200]
    query = parse(text)
    if query.empty:
        return Results(text, query, None, "")
    index = for_connection(language=language)
    hits = _Hits(index, query)
    page: Page[Any] = Paginator(hits, PAGE_SIZE).get_page(page_number)  # type: ignore[arg-type]
    suggestion = spelling(text, query) if page.paginator.count == 0 else ""
    more_than = MOST_COUNTED if hits.counted > MOST_COUNTED else 0
    return Results(text, query, page, suggestion, more_than)


def close_word(word: str) -> str | None:
    """The most used word of the index spelled like this one, if it is not a word there."""
    if len(word) < 4 or word in QUERY_STOPWORDS or not word.isalpha():
        return None
    if Word.objects.filter(word=word).exists():
        return None
    candidates = list(
        Word.objects.filter(
            length__range=(len(word) - 2, len(word) + 2),
            word__gte=word[0],
            word__lt=chr(ord(word[0]) + 1),
        )
        .order_by("-documents")
        .values_list("word", flat=True)[:SPELLING_CANDIDATES]
    )
    found = difflib.get_close_matches(word, candidates, n=1, cutoff=0.75)
    return found[0] if found else None


def spelling(text: str, query: Query) -> str:
    """The query with each unknown word replaced by the closest known one, or ""."""
    replaced = {}
    for word in query.all_words():
        better = close_word(word)
        if better:
            replaced[word] = better
    if not replaced:
        return ""
    words = text.split()
    fixed = [replaced.get(w.lower().strip('"'), w) for w in words]
    return " ".join(fixed)
