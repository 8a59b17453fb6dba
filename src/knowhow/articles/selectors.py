"""Reads of articles reused across pages."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from knowhow.articles.models import Article

SAME_TOPIC_WEIGHT = 3.0
# Below this share of keywords in common, an article from another topic is not related.
MIN_OVERLAP = 0.06


def article_for_page(slug: str) -> Article | None:
    """A published article with its topic and bylines, in one query."""
    return (
        Article.objects.published()
        .select_related("topic", "written_by", "edited_by")
        .filter(slug=slug)
        .first()
    )


def published_article_or_404(slug: str) -> Article:
    article = article_for_page(slug)
    if article is None:
        raise Http404("No such article")
    return article


def recent_articles(limit: int = 10) -> QuerySet[Article]:
    return Article.objects.published().select_related("topic", "written_by")[:limit]


def related_articles(article: Article, limit: int = 5) -> list[Article]:
    """Published articles most like this one, best first, never the article itself.

    Score: shared topic, plus the share of keywords the two have in common. One query.
    """
    words = set(article.keywords.split())
    candidates = (
        Article.objects.published()
        .exclude(pk=article.pk)
        .only("id", "title", "slug", "topic_id", "keywords", "published_at")
    )
    scored: list[tuple[float, str, Article]] = []
    for other in candidates:
        other_words = set(other.keywords.split())
        overlap = len(words & other_words) / (len(words | other_words) or 1)
        same_topic = other.topic_id == article.topic_id
        if same_topic or overlap >= MIN_OVERLAP:
            score = overlap * 10 + (SAME_TOPIC_WEIGHT if same_topic else 0)
            scored.append((score, other.title, other))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [other for _, _, other in scored[:limit]]
