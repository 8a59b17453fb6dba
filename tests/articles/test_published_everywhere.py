"""What "published" means is one definition: the page, search, related lists, feeds, the
sitemap, the widgets (each kind that shows an article) and oEmbed show an article exactly
when it is published and its time has come."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article, Topic
from knowhow.search.backends import for_connection

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC)
WORDS = {"past": "quokka", "future": "narwhal", "scheduled": "axolotl", "draft": "pangolin"}


def _shown(client: Client, article: Article, word: str) -> dict[str, bool]:
    """Where readers find the article: each place asked on its own."""
    slug = f"/articles/{article.slug}/"
    return {
        "model": article.is_published,
        "queryset": Article.objects.published().filter(pk=article.pk).exists(),
        "page": client.get(slug).status_code == 200,
        "search": slug in client.get("/search/", {"q": word}).content.decode(),
        "related": article.pk in for_connection().matching([word], 10),
        "feed": slug in client.get("/feed/").content.decode(),
        "topic_feed": slug in client.get(f"/topics/{article.topic.slug}/feed/").content.decode(),
        "sitemap": slug in client.get("/sitemap-articles.xml").content.decode(),
        "topic_sitemap": article.topic.slug in client.get("/sitemap-topics.xml").content.decode(),
        "widget": slug in client.get("/widgets/latest/data/").content.decode(),
        "topic_widget": slug
        in client.get("/widgets/topic/data/", {"topic": article.topic.slug}).content.decode(),
        "article_widget": client.get(
            "/widgets/article/data/", {"article": article.slug}
        ).status_code
        == 200,
        "oembed": client.get("/oembed", {"url": f"http://testserver{slug}"}).status_code == 200,
    }


@pytest.fixture
def articles(make_article: Callable[..., Article], topic: Topic) -> dict[str, Article]:
    """One article of each kind, each alone in its topic, with its own word."""
    ahead, before = NOW + dt.timedelta(days=1), NOW - dt.timedelta(days=1)
    kinds = {
        "past": (Article.Status.PUBLISHED, before),
        "future": (Article.Status.PUBLISHED, ahead),  # published, dated ahead
        "scheduled": (Article.Status.SCHEDULED, ahead),
        "draft": (Article.Status.DRAFT, None),
    }
    made = {}
    with time_machine.travel(NOW, tick=False):
        for kind, (status, when) in kinds.items():
            own = Topic.objects.create(name=kind.title(), slug=kind)
            word = WORDS[kind]
            made[kind] = make_article(
                f"What is a {word.title()}?",
                topic=own,
                body=f"The {word} is an animal. The {word} lives far away.",
                status=status,
                published_at=when,
            )
    return made


def test_each_kind_of_article_is_shown_everywhere_or_nowhere(
    articles: dict[str, Article], client: Client
) -> None:
    with time_machine.travel(NOW, tick=False):
        for kind, article in articles.items():
            shown = _shown(client, article, WORDS[kind])
            expected = kind == "past"
            assert shown == dict.fromkeys(shown, expected), kind


def test_an_article_dated_ahead_appears_everywhere_when_its_time_comes(
    articles: dict[str, Article], client: Client
) -> None:
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        assert timezone.now() > articles["future"].published_at  # type: ignore[operator]
        shown = _shown(client, articles["future"], WORDS["future"])
        assert shown == dict.fromkeys(shown, True)
        # A scheduled one waits for its publication to be carried out (publish_due).
        shown = _shown(client, articles["scheduled"], WORDS["scheduled"])
        assert shown == dict.fromkeys(shown, False)
