"""The site's events, told to webhooks: subscribed to the named events of the apps, with
what a receiver needs to fetch the rest through the API."""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.urls import reverse

from knowhow.api import webhooks
from knowhow.api.models import Webhook
from knowhow.articles import events as article_events
from knowhow.articles.models import Article
from knowhow.discussion import events as discussion_events
from knowhow.discussion.models import Post
from knowhow.links import absolute
from knowhow.newsroom.models import Question

logger = logging.getLogger(__name__)


def _robust(receiver: Callable[..., None]) -> Callable[..., None]:
    """A receiver whose failure is logged: the write that announced the event stands."""

    @functools.wraps(receiver)
    def wrapped(*args: Any, **kwargs: Any) -> None:
        try:
            receiver(*args, **kwargs)
        except Exception:
            logger.exception("webhooks: could not queue %s", receiver.__name__)

    return wrapped


def _article(article: Article) -> dict[str, Any]:
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title,
        "url": absolute(article.get_absolute_url()),
        "api_url": absolute(reverse("api-v1:article", args=[article.slug])),
    }


def _post(post: Post) -> dict[str, Any]:
    article = post.article
    return {
        "article": _article(article),
        "number": post.number,
        "status": post.status,
        "author": post.author.username if post.author is not None else None,
        "body": post.body,
        "body_html": post.body_html,
        "api_url": absolute(reverse("api-v1:article-post", args=[article.slug, post.number])),
    }


@_robust
def article_published(sender: object, article: Article, **kwargs: Any) -> None:
    webhooks.announce(Webhook.Event.ARTICLE_PUBLISHED, lambda: _article(article))


@_robust
def post_published(sender: object, post: Post, **kwargs: Any) -> None:
    webhooks.announce(Webhook.Event.POST_PUBLISHED, lambda: _post(post))


@_robust
def post_held(sender: object, post: Post, note: str = "", **kwargs: Any) -> None:
    webhooks.announce(Webhook.Event.POST_HELD, lambda: {**_post(post), "held_because": note})


@_robust
def question_asked(question_id: int) -> None:
    question = Question.objects.select_related("asker", "asked_from").filter(pk=question_id).first()
    if question is None:
        return
    data = {
        "id": question.pk,
        "text": question.text,
        "asker": question.asker.username if question.asker is not None else None,
        "asker_name": question.asker_name,
        "asked_from": _article(question.asked_from) if question.asked_from else None,
    }
    webhooks.announce(Webhook.Event.QUESTION_ASKED, data)


def question_saved(
    sender: object, instance: Question, created: bool = False, **kwargs: Any
) -> None:
    """A question stored for the editors (newsroom.question_services.ask_question) is told
    once it commits; later saves (the editors' decisions) are not questions asked."""
    if created:
        transaction.on_commit(functools.partial(question_asked, instance.pk))


def connect() -> None:
    post_save.connect(question_saved, sender=Question, dispatch_uid="knowhow.api.webhooks")
    article_events.published.connect(article_published, dispatch_uid="knowhow.api.webhooks")
    discussion_events.post_published.connect(post_published, dispatch_uid="knowhow.api.webhooks")
    discussion_events.post_held.connect(post_held, dispatch_uid="knowhow.api.webhooks")
