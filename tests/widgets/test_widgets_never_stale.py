"""Widgets through the real page cache: kept for everyone, never stale after a write."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

from django.utils import timezone

from knowhow.articles.models import Article, Topic
from knowhow.facts.models import Fact
from tests.pagecache.conftest import Clock, Server


def test_a_published_article_is_in_latest_articles_on_the_next_request(
    server: Server, make_article: Callable[..., Article]
) -> None:
    make_article("The first one", published_at=timezone.now() - dt.timedelta(days=2))
    for url in ("/widgets/latest/", "/widgets/latest/data/"):
        server.request(url)
        assert server.request(url).cache == "HIT"
    make_article("Brand new", published_at=timezone.now() - dt.timedelta(seconds=1))
    assert "Brand new" in server.request("/widgets/latest/").text
    titles = [
        item["text"] for item in json.loads(server.request("/widgets/latest/data/").body)["items"]
    ]
    assert titles[0] == "Brand new"


def test_a_stale_etag_gets_the_new_widget_not_a_304(server: Server, article: Article) -> None:
    url = f"/widgets/article/?article={article.slug}"
    first = server.request(url)
    etag = first.headers["etag"]
    assert server.request(url, headers={"If-None-Match": etag}).status == 304
    article.title = "Cramps, explained again"
    article.save()
    fresh = server.request(url, headers={"If-None-Match": etag})
    assert fresh.status == 200
    assert "Cramps, explained again" in fresh.text
    assert fresh.headers["etag"] != etag


def test_an_unpublished_article_loses_its_card_at_once(server: Server, article: Article) -> None:
    url = f"/widgets/article/data/?article={article.slug}"
    assert server.request(url).status == 200
    article.status = Article.Status.DRAFT
    article.save()
    assert server.request(url).status == 404


def test_kept_widgets_are_public_for_caches_and_set_no_cookie(
    server: Server, article: Article
) -> None:
    Fact.objects.create(text="Octopuses have three hearts.")
    for url in (
        "/widgets/fact/",
        "/widgets/latest/data/",
        f"/widgets/topic/?topic={article.topic.slug}",
    ):
        for cookies in (None, {"csrftoken": "a" * 32}, {"sessionid": "not-a-session"}):
            answer = server.request(url, cookies=cookies)
            assert answer.status == 200
            assert answer.cookies == [], (url, cookies)
            assert answer.headers["cache-control"].startswith("public, max-age="), (url, cookies)
            assert "cookie" not in answer.headers.get("vary", "").lower(), (url, cookies)
            assert answer.headers.get("etag"), (url, cookies)


def test_a_fact_widget_changes_when_the_day_turns_over(server: Server, clock: Clock) -> None:
    Fact.objects.create(text="Fact one.")
    Fact.objects.create(text="Fact two.")
    first = server.request("/widgets/fact/")
    max_age = int(first.headers["cache-control"].rsplit("=", 1)[1])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    midnight = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min)).timestamp()
    assert max_age <= midnight - clock.now + 1  # no cache keeps it past midnight
    clock.now = midnight + 1
    assert server.request("/widgets/fact/").cache == "MISS"


def test_a_new_fact_shows_at_once(server: Server) -> None:
    server.request("/widgets/fact/")
    assert server.request("/widgets/fact/").cache == "HIT"
    Fact.objects.all().delete()
    Fact.objects.create(text="A brand new fact.")
    assert "A brand new fact." in server.request("/widgets/fact/").text


def test_the_gallery_offers_a_new_topic_and_article_at_once(
    server: Server, make_article: Callable[..., Article]
) -> None:
    server.request("/widgets/")
    assert server.request("/widgets/").cache == "HIT"
    sleep = Topic.objects.create(name="Sleep", slug="sleep")
    assert '<option value="sleep">Sleep</option>' in server.request("/widgets/").text
    make_article("Why we dream", topic=sleep)
    assert "Why we dream</option>" in server.request("/widgets/").text


def test_a_renamed_topic_is_renamed_in_its_widget(server: Server, article: Article) -> None:
    url = f"/widgets/topic/?topic={article.topic.slug}"
    server.request(url)
    assert server.request(url).cache == "HIT"
    article.topic.name = "Muscles"
    article.topic.save()
    assert "Articles on Muscles" in server.request(url).text
