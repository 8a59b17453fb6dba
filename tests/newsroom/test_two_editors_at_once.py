"""Two people saving the same article at the same moment, from forms opened at the same
revision: exactly one save lands, the other is refused as stale; nothing is overwritten."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth.models import User
from django.db import connection

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.articles.services import StaleEdit

pytestmark = pytest.mark.django_db(transaction=True)


def test_simultaneous_saves_from_one_revision_never_both_land(
    writer_account: User, editor_account: User, topic: Topic
) -> None:
    article = workflow.create_article(
        by=writer_account, title="What is Hay Fever?", topic=topic, body="Sneezing in spring."
    )
    base = article.latest_revision.number  # type: ignore[union-attr]
    rounds = 6
    barrier = threading.Barrier(2)
    outcomes: list[str] = []
    errors: list[BaseException] = []

    def save(who: User, words: str) -> None:
        try:
            for n in range(rounds):
                barrier.wait()
                current = Article.objects.get(pk=article.pk).latest_revision.number  # type: ignore[union-attr]
                barrier.wait()  # both forms were opened at the same revision
                try:
                    workflow.save_revision(
                        article=article, by=who, content={"body": f"{words} {n}"}, base=current
                    )
                    outcomes.append("saved")
                except StaleEdit:
                    outcomes.append("stale")
        except BaseException as exc:  # reported below
            errors.append(exc)
            barrier.abort()
        finally:
            connection.close()

    threads = [
        threading.Thread(target=save, args=(writer_account, "writer")),
        threading.Thread(target=save, args=(editor_account, "editor")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert outcomes.count("saved") == rounds and outcomes.count("stale") == rounds
    numbers = list(article.revisions.order_by("number").values_list("number", flat=True))
    assert numbers == list(range(1, base + rounds + 1))
    article.refresh_from_db()
    assert article.body == article.latest_revision.content["body"]  # type: ignore[union-attr]
    assert base == 1
