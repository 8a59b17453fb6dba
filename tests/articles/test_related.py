"""Related articles are worked out when articles change, and read with one query."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowhow.articles.models import Article, Topic
from knowhow.articles.selectors import related_articles


def _titles(article: Article) -> list[str]:
    article.refresh_from_db()
    return [other.title for other in related_articles(article)]


def test_a_new_article_joins_the_lists_it_belongs_in(
    article: Article, make_article: Callable[..., Article]
) -> None:
    assert _titles(article) == []
    make_article("Why do Muscles Cramp at Night?", body="Night cramps in the calf muscle.")
    assert _titles(article) == ["Why do Muscles Cramp at Night?"]
    with CaptureQueriesContext(connection) as queries:
        related_articles(article)
    assert len(queries) == 1


def test_an_article_taken_down_leaves_every_list(
    article: Article, make_article: Callable[..., Article]
) -> None:
    other = make_article("Why do Muscles Cramp at Night?")
    assert _titles(article) == ["Why do Muscles Cramp at Night?"]
    other.status = Article.Status.DRAFT
    other.save()
    assert _titles(article) == []
    other.status = Article.Status.PUBLISHED
    other.save()
    assert _titles(article) == ["Why do Muscles Cramp at Night?"]
    other.delete()
    assert _titles(article) == []


def test_best_first_at_most_five_and_other_topics_only_when_alike(
    article: Article, make_article: Callable[..., Article]
) -> None:
    for n in range(6):
        make_article(f"Cramp Question {n}?", body="A cramp is a sudden painful muscle spasm.")
    science = Topic.objects.create(name="Science", slug="science")
    make_article("Why is the Sky Blue?", topic=science, body="Light scatters in the air.")
    titles = _titles(article)
    assert len(titles) == 5 and "Why is the Sky Blue?" not in titles
    assert article.title not in titles


@pytest.mark.django_db(transaction=True)
def test_the_migration_works_out_lists_for_articles_already_there() -> None:
    before = [("articles", "0001_initial")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    topic = old.get_model("articles", "Topic").objects.create(name="Health", slug="health")
    person = old.get_model("articles", "Person").objects.create(name="Wendy", slug="wendy")
    made = old.get_model("articles", "Article")
    for title in ("What is a Cramp?", "Why do Cramps Hurt?"):
        made.objects.create(
            title=title, slug=title.lower().replace(" ", "-").strip("?"), topic=topic,
            written_by=person, body="Cramps.", keywords="cramp muscle", status="published",
            published_at=timezone.now(),
        )  # fmt: skip
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    first = Article.objects.get(title="What is a Cramp?")
    assert [other.title for other in related_articles(first)] == ["Why do Cramps Hurt?"]
