"""The JSON of each thing the API shows (see knowhow.api.schemas for the documented form)."""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.urls import reverse

from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion.models import Post
from knowhow.facts.models import Event, Fact
from knowhow.links import absolute_url

JSON_ENCODER = DjangoJSONEncoder


def api_url(request: HttpRequest, name: str, *args: Any) -> str:
    return absolute_url(request, reverse(f"api-v1:{name}", args=args))


def named(request: HttpRequest, thing: Topic | Person | None) -> dict[str, Any] | None:
    if thing is None:
        return None
    return {
        "slug": thing.slug,
        "name": thing.name,
        "url": absolute_url(request, thing.get_absolute_url()),
    }


def article_summary(request: HttpRequest, article: Article) -> dict[str, Any]:
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "url": absolute_url(request, article.get_absolute_url()),
        "api_url": api_url(request, "article", article.slug),
        "summary": article.summary(),
        "topic": named(request, article.topic),
        "written_by": named(request, article.written_by),
        "published_at": article.published_at,
        "last_modified": article.last_modified,
        "reading_minutes": article.reading_minutes,
        "language": article.language,
        "translation_of": article.translation_of_id,
    }


def article(request: HttpRequest, article: Article) -> dict[str, Any]:
    review = article.review
    return {
        **article_summary(request, article),
        "edited_by": named(request, article.edited_by),
        "review": {
            "reviewed_by": named(request, review.reviewed_by),
            "reviewed_on": review.reviewed_on,
        }
        if review
        else None,
        "copyright_holder": article.copyright_holder,
        "body_markdown": article.body,
        "body_html": article.body_html,
        "sources_html": article.sources_html,
        "posts_url": api_url(request, "article-posts", article.slug),
        "related_url": api_url(request, "article-related", article.slug),
    }


def topic(request: HttpRequest, topic: Topic) -> dict[str, Any]:
    return {
        **(named(request, topic) or {}),
        "description": topic.description,
        "articles_url": api_url(request, "topic-articles", topic.slug),
    }


def person(request: HttpRequest, person: Person) -> dict[str, Any]:
    return {
        **(named(request, person) or {}),
        "bio": person.bio,
        "articles_url": api_url(request, "person-articles", person.slug),
    }


def post(request: HttpRequest, article: Article, post: Post) -> dict[str, Any]:
    """A post as its thread shows it: the text of a post taken down is gone, its number
    stays."""
    gone = post.is_tombstone
    return {
        "number": post.number,
        "url": absolute_url(request, f"{article.get_absolute_url()}#{post.anchor}"),
        "status": post.status,
        "author": post.author.username if post.author is not None and not gone else None,
        "author_name": post.author_name if not gone else "",
        "reply_to": post.reply_to.number if post.reply_to is not None and not gone else None,
        "body_html": None if gone else post.body_html,
        "created_at": None if gone else post.created_at,
        "edited_at": None if gone else post.edited_at,
        # Held posts reach only their author's answers (knowhow.api.reads).
        "held": post.status == Post.Status.HELD,
        "held_note": post.held_note,
    }


def fact(request: HttpRequest, fact: Fact) -> dict[str, Any]:
    return {
        "slug": fact.slug,
        "text": fact.text,
        "source": fact.source,
        "url": absolute_url(request, fact.get_absolute_url()),
        "topic": named(request, fact.topic),
    }


def event(request: HttpRequest, event: Event) -> dict[str, Any]:
    return {
        "year": event.year,
        "month": event.month,
        "day": event.day,
        "text": event.text,
        "topic": named(request, event.topic),
        "related": [
            {
                "slug": a.slug,
                "name": a.title,
                "url": absolute_url(request, a.get_absolute_url()),
            }
            for a in event.related.all()
        ],
    }
