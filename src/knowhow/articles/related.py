"""Which articles are related: computed when an article changes, read with one query.

Score: a shared topic, plus the share of keywords the two have in common. Each article
keeps its best few as [[id, score], ...] in `related_scores`. When an article changes,
its own list is recomputed, and so is the list of every article it enters, leaves or
moves in, so a page shows related articles without scanning every article.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from knowhow import pagecache
from knowhow.articles.models import Article

SAME_TOPIC_WEIGHT = 3.0
# Below this share of keywords in common, an article from another topic is not related.
MIN_OVERLAP = 0.06
LIMIT = 5


@dataclass(frozen=True)
class Candidate:
    pk: int
    title: str
    topic_id: int
    words: frozenset[str]


def _candidates() -> list[Candidate]:
    """Every published article (scheduled ones too: pages filter those when they show them)."""
    rows = Article.objects.filter(status=Article.Status.PUBLISHED).values_list(
        "pk", "title", "topic_id", "keywords"
    )
    return [
        Candidate(pk, title, topic, frozenset(words.split())) for pk, title, topic, words in rows
    ]


def score(one: Candidate, other: Candidate) -> float | None:
    overlap = len(one.words & other.words) / (len(one.words | other.words) or 1)
    same_topic = one.topic_id == other.topic_id
    if not same_topic and overlap < MIN_OVERLAP:
        return None
    return round(overlap * 10 + (SAME_TOPIC_WEIGHT if same_topic else 0), 6)


def best_for(one: Candidate, others: Iterable[Candidate]) -> list[list[float]]:
    scored = []
    for other in others:
        if other.pk == one.pk:
            continue
        value = score(one, other)
        if value is not None:
            scored.append((value, other.title, other.pk))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [[pk, value] for value, _, pk in scored[:LIMIT]]


def refresh_for(article_id: int) -> list[int]:
    """Recompute the lists an article's change can affect; returns the ids whose list changed.

    An article's list can change only if the changed article was in it, or now scores above
    its weakest entry (or it has room). Those lists, and the article's own, are recomputed.
    """
    candidates = _candidates()
    by_pk = {c.pk: c for c in candidates}
    stored = dict(Article.objects.values_list("pk", "related_scores"))
    changed_one = by_pk.get(article_id)
    affected = {article_id}
    for other in candidates:
        current = stored.get(other.pk) or []
        listed = {int(pk) for pk, _ in current}
        if article_id in listed:
            affected.add(other.pk)
        elif changed_one is not None:
            value = score(other, changed_one)
            weakest = min((s for _, s in current), default=0.0)
            if value is not None and (len(current) < LIMIT or value >= weakest):
                affected.add(other.pk)
    moved = []
    for pk in affected:
        one = by_pk.get(pk)
        fresh = best_for(one, candidates) if one is not None else []
        if fresh != (stored.get(pk) or []):
            Article.objects.filter(pk=pk).update(related_scores=fresh)
            moved.append(pk)
    pagecache.changed(*(f"article-{pk}" for pk in moved if pk != article_id))
    return moved
