"""Keeping the index with the articles: each write of an article changes its entry, its
related list and its neighbours', in the article's own transaction."""

from __future__ import annotations

from knowhow.articles.models import Article
from knowhow.search import related
from knowhow.search.backends import for_connection
from knowhow.search.text import document


def article_written(article: Article) -> None:
    index = for_connection()
    if article.status == Article.Status.PUBLISHED:
        topic = article.topic.name
        index.index(document(article.pk, article.title, topic, article.body_html))
    else:
        # Drafts are not found; a scheduled article is indexed and shown once it goes live.
        index.remove(article.pk)
    related.refresh_for(article.pk, index)


def article_removed(pk: int) -> None:
    index = for_connection()
    index.remove(pk)
    related.refresh_for(pk, index)


def drop_orphans(using: str) -> None:
    for_connection(using).drop_orphans()
