"""Keeping the index with the articles: each write of an article changes its entry, its
related list and its neighbours', in the article's own transaction.

store_related_lists is the only writer of Article.related_scores
(tests/search/test_related_lists_have_one_writer.py)."""

from __future__ import annotations

from django.db import transaction

from knowhow import pagecache
from knowhow.articles.models import Article
from knowhow.search import related
from knowhow.search.backends import Index, for_connection
from knowhow.search.text import document


def article_written(article: Article) -> None:
    index = for_connection()
    if article.status == Article.Status.PUBLISHED:
        topic = article.topic.name
        index.index(document(article.pk, article.title, topic, article.body_html, article.language))
    else:
        # Drafts are not found; a scheduled article is indexed and shown once it goes live.
        index.remove(article.pk)
    store_related_lists(article_id=article.pk, index=index)


def article_removed(pk: int) -> None:
    index = for_connection()
    index.remove(pk)
    store_related_lists(article_id=pk, index=index)


@transaction.atomic
def store_related_lists(*, article_id: int, index: Index | None = None) -> list[int]:
    """Store the "You might also Like" lists an article's change alters (its own, and its
    neighbours'); returns the ids whose list changed. The neighbours' pages are stale."""
    changed = related.lists_to_refresh(article_id, index or for_connection())
    for pk, scores in changed.items():
        Article.objects.filter(pk=pk).update(related_scores=scores)
    pagecache.changed(*(Article.tag_for(pk) for pk in changed if pk != article_id))
    return list(changed)


def drop_orphans(using: str) -> None:
    for_connection(using).drop_orphans()
