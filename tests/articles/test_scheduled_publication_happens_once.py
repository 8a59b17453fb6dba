"""Two workers running publish_due at the same moment publish a scheduled article once:
one "published" entry in its log, one published signal (so askers get one email)."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connections
from django.utils import timezone

from knowhow.articles import events
from knowhow.articles import services as workflow
from knowhow.articles.models import Article, ArticleEvent, Topic

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_workers_at_once_publish_a_scheduled_article_once(
    writer_account: User, editor_account: User, topic: Topic
) -> None:
    article = workflow.create_article(by=writer_account, title="Due Now", topic=topic, body="W.")
    soon = timezone.now() + dt.timedelta(minutes=5)
    workflow.publish(article=article, by=editor_account, at=soon)
    sent: list[int] = []

    def heard(sender: Any, *, article: Article, **kwargs: Any) -> None:
        sent.append(article.pk)

    events.published.connect(heard, weak=False)
    start = threading.Barrier(2)
    counts: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            start.wait()
            counts.append(workflow.publish_due(now=soon + dt.timedelta(seconds=1)))
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    try:
        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    finally:
        events.published.disconnect(heard)
    assert errors == []
    assert sorted(counts) == [0, 1]
    assert sent == [article.pk]
    published = ArticleEvent.objects.filter(article=article, action=ArticleEvent.Action.PUBLISHED)
    assert published.count() == 1
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED and article.published_at == soon
