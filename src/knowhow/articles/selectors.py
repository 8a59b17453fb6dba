"""Reads of articles reused across pages."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404

from knowhow.articles.models import REVIEW_HAPPENED, Article, Person, Topic


def article_for_page(slug: str) -> Article | None:
    """A published article with its topic, bylines and reviewer, in one query."""
    return (
        Article.objects.published()
        .select_related("topic", "written_by", "edited_by", "reviewed_by", "lead_image")
        .filter(slug=slug)
        .first()
    )


def article_at_address(slug: str) -> Article | None:
    """The published article at this address now, or that had it once readers saw it (an
    old address, kept): for what other sites hold (embeds, widgets), never for the article's
    own page, which sends readers on to its address now (site.moved)."""
    return (
        Article.objects.published()
        .select_related("topic", "written_by", "edited_by", "reviewed_by", "lead_image")
        .filter(Q(slug=slug) | Q(old_addresses__slug=slug))
        .first()
    )


def published_article_or_404(slug: str) -> Article:
    article = article_for_page(slug)
    if article is None:
        raise Http404("No such article")
    return article


def recent_articles(limit: int = 10) -> QuerySet[Article]:
    return Article.objects.published().select_related("topic", "written_by", "lead_image")[:limit]


def featured_article() -> Article | None:
    """The published article an editor featured last, for the top of the home page."""
    return (
        Article.objects.published()
        .filter(featured_at__isnull=False)
        .select_related("topic", "written_by", "lead_image")
        .order_by("-featured_at")
        .first()
    )


def related_articles(article: Article) -> list[Article]:
    """Published articles most like this one, best first, never the article itself.

    Kept up to date by the search app when articles change; one query here. Each carries
    `also_about`, the words it shares with this one, when those are known.
    """
    entries = {
        int(entry[0]): entry[2] if len(entry) > 2 else [] for entry in article.related_scores
    }
    if not entries:
        return []
    found = Article.objects.published().only("id", "title", "slug").in_bulk(list(entries))
    shown = []
    for pk, words in entries.items():
        if pk in found and pk != article.pk:
            found[pk].also_about = list(words)  # type: ignore[attr-defined]
            shown.append(found[pk])
    return shown


def next_publication() -> dt.datetime | None:
    """When the next scheduled article goes live: lists of articles change then by themselves."""
    return (
        Article.objects.not_yet_live()
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )


def topic_articles(topic: Topic, limit: int) -> list[Article]:
    """The newest published articles of a topic, with their bylines."""
    return list(
        Article.objects.published().filter(topic=topic).select_related("written_by")[:limit]
    )


def articles_of_person(person: Person) -> QuerySet[Article]:
    """The published articles a person wrote, edited or reviewed: a reviewer's are those
    whose review really happened."""
    return Article.objects.published().filter(
        Q(written_by=person) | Q(edited_by=person) | (Q(reviewed_by=person) & REVIEW_HAPPENED)
    )
