""" "You might also Like": more like this, over the search index.

An article's highest-weight words (tf-idf from the index's vocabulary, title words
counted three times) are looked up in the index; each article found scores the weight of
the words it shares, plus a boost for the same topic. The best few are stored on the
article as [[id, score, [shared words]], ...], worked out when an article is written, and
for the articles whose lists it may enter or leave, so a page view reads one row.

This module works the lists out and writes nothing: search.services.store_related_lists
stores them.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from knowhow.articles.models import STOPWORDS, Article
from knowhow.search.backends import Index, idf
from knowhow.search.models import Word
from knowhow.search.text import document, word_list

LIMIT = 5
# A rough English stem: only to keep one form of a word among the chosen terms.
_ENDING = re.compile(r"(ing|ed|es|s)$")
TERMS = 14
CANDIDATES = 30
TITLE_BOOST = 3
SAME_TOPIC = 0.35
# Below this share of the article's word weight, an article from elsewhere is not alike.
MIN_SCORE = 0.08
REASONS = 3


@dataclass(frozen=True)
class Term:
    word: str
    weight: float


def _source(pk: int) -> tuple[Article | None, str]:
    article = (
        Article.objects.filter(pk=pk, status=Article.Status.PUBLISHED)
        .select_related("topic")
        .only("pk", "title", "body_html", "topic__name", "topic_id", "published_at", "language")
        .first()
    )
    return article, article.topic.name if article else ""


def top_terms(article: Article, topic: str) -> list[Term]:
    doc = document(article.pk, article.title, topic, article.body_html)
    counts: Counter[str] = Counter()
    for text, times in ((doc.title, TITLE_BOOST), (doc.body, 1)):
        for word in word_list(text):
            if word not in STOPWORDS and len(word) > 3:
                counts[word] += times
    known = dict(Word.objects.filter(word__in=list(counts)).values_list("word", "documents"))
    total = Article.objects.filter(status=Article.Status.PUBLISHED).count()
    # A word no other article uses finds nothing; like a search engine's "more like
    # this", only words found in at least two articles count.
    scored = [
        Term(word, (1 + count) ** 0.5 * idf(known[word], total))
        for word, count in counts.items()
        if known.get(word, 0) >= 2
    ]
    scored.sort(key=lambda term: (-term.weight, term.word))
    chosen: list[Term] = []
    stems: set[str] = set()
    for term in scored:
        # One form of a word is enough: "cramp", "cramps" and "cramping" look up the same.
        stem = _ENDING.sub("", term.word) if len(term.word) > 5 else term.word
        if stem in stems:
            continue
        stems.add(stem)
        chosen.append(term)
        if len(chosen) == TERMS:
            break
    return chosen


def more_like(article: Article, topic: str, index: Index) -> list[list[Any]]:
    """The article's list: articles in its own language only (the index read for it)."""
    index = index.in_language(article.language)
    terms = [t for t in top_terms(article, topic) if t.weight > 0]
    found = [pk for pk in index.matching([t.word for t in terms], CANDIDATES + 1)]
    # The topic's newest articles are candidates too, found or not (a bounded read).
    same_topic = set(
        Article.objects.published()
        .filter(topic_id=article.topic_id, language=article.language)
        .values_list("pk", flat=True)[:CANDIDATES]
    ) | set(
        Article.objects.filter(
            pk__in=found, topic_id=article.topic_id, language=article.language
        ).values_list("pk", flat=True)
    )
    found = [pk for pk in dict.fromkeys([*found, *same_topic]) if pk != article.pk]
    shared: dict[int, list[Term]] = {pk: [] for pk in found}
    for term in terms:
        for pk in index.having(term.word, found) if found else ():
            shared[pk].append(term)
    whole = sum(t.weight for t in terms) or 1.0
    scored = []
    for pk in found:
        value = sum(t.weight for t in shared[pk]) / whole
        if pk in same_topic:
            value += SAME_TOPIC
        elif value < MIN_SCORE:
            continue
        why = [t.word for t in sorted(shared[pk], key=lambda t: -t.weight)[:REASONS]]
        scored.append((round(value, 6), pk, why))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [[pk, value, why] for value, pk, why in scored[:LIMIT]]


def lists_to_refresh(article_id: int, index: Index) -> dict[int, list[list[Any]]]:
    """The new lists of the articles whose list an article's change alters, by id.

    Those looked at are the article's own, those that list it now, and those of the
    articles its own words find (it may now belong in theirs).
    """
    article, topic = _source(article_id)
    fresh = more_like(article, topic, index) if article else []
    affected = {article_id} | {int(entry[0]) for entry in fresh}
    if article is not None:
        index = index.in_language(article.language)
        affected |= set(index.matching([t.word for t in top_terms(article, topic)][:8], CANDIDATES))
    for pk, scores in (
        Article.objects.exclude(related_scores=[])
        .filter(~Q(pk__in=affected))
        .values_list("pk", "related_scores")
    ):
        if any(int(entry[0]) == article_id for entry in scores):
            affected.add(pk)
    stored = dict(Article.objects.filter(pk__in=affected).values_list("pk", "related_scores"))
    changed: dict[int, list[list[Any]]] = {}
    for pk in sorted(affected):
        if pk not in stored:
            continue
        if pk == article_id:
            new = fresh
        else:
            other, other_topic = _source(pk)
            new = more_like(other, other_topic, index) if other else []
        if new != stored[pk]:
            changed[pk] = new
    return changed
