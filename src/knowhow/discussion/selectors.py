"""Reads of the discussion reused across pages."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator

from knowhow.articles.models import Article
from knowhow.discussion.models import Post


def posts_page(article: Article, page: str | int | None) -> Page[Post]:
    """One page of an article's visible posts, newest first; two queries whatever the count."""
    posts = (
        Post.objects.visible()
        .filter(article=article)
        .select_related("author")
        .only("number", "body_html", "created_at", "author__username", "article_id")
        .order_by("-number")
    )
    paginator = Paginator(posts, settings.DISCUSSION_PAGE_SIZE)
    return paginator.get_page(page)


def page_of_post(article: Article, number: int) -> int:
    """Which page (newest first) shows the post with this number."""
    newer = Post.objects.visible().filter(article=article, number__gt=number).count()
    return newer // settings.DISCUSSION_PAGE_SIZE + 1


def posts_by(user_id: int, page: str | int | None) -> Page[Post]:
    posts = (
        Post.objects.visible()
        .filter(author_id=user_id, article__status=Article.Status.PUBLISHED)
        .select_related("article")
        .order_by("-created_at")
    )
    return Paginator(posts, 20).get_page(page)
