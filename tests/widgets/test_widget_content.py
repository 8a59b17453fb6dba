"""Each widget shows the right things, as an iframe page and as data for the script."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article, Topic
from knowhow.facts.models import Event, Fact
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def frame_text(client: Client, url: str) -> str:
    answer = client.get(url)
    assert answer.status_code == 200, answer.content
    return visible_text(answer.content)


def data_of(client: Client, url: str) -> dict:  # type: ignore[type-arg]
    answer = client.get(url)
    assert answer.status_code == 200, answer.content
    return json.loads(answer.content)


def test_did_you_know_shows_the_days_fact_with_a_link_back(client: Client) -> None:
    fact = Fact.objects.create(text="Octopuses have three hearts.")
    assert "Octopuses have three hearts." in frame_text(client, "/widgets/fact/")
    data = data_of(client, "/widgets/fact/data/")
    assert data["items"][0]["text"] == "Octopuses have three hearts."
    assert data["items"][0]["url"] == "http://testserver" + fact.get_absolute_url()
    assert data["site"] == {"name": "Knowhow", "url": "http://testserver/"}


def test_on_this_day_shows_todays_event(client: Client) -> None:
    today = timezone.localdate()
    Event.objects.create(year=1977, month=today.month, day=today.day, text="A photo of both.")
    assert "A photo of both." in frame_text(client, "/widgets/on-this-day/")
    item = data_of(client, "/widgets/on-this-day/data/")["items"][0]
    assert item["text"] == "A photo of both."
    assert item["meta"].endswith("1977")


def test_latest_articles_lists_the_newest_published_ones_only(
    client: Client, make_article: Callable[..., Article]
) -> None:
    now = timezone.now()
    for day in range(1, 8):
        make_article(f"Article {day}", published_at=now - dt.timedelta(days=day))
    make_article("A draft", status=Article.Status.DRAFT)
    make_article("Not yet", published_at=now + dt.timedelta(days=1))
    titles = [item["text"] for item in data_of(client, "/widgets/latest/data/?count=3")["items"]]
    assert titles == ["Article 1", "Article 2", "Article 3"]
    text = frame_text(client, "/widgets/latest/?count=3")
    assert "Article 3" in text and "Article 4" not in text and "A draft" not in text


def test_topic_widget_lists_only_that_topics_articles(
    client: Client, make_article: Callable[..., Article]
) -> None:
    sleep = Topic.objects.create(name="Sleep", slug="sleep")
    make_article("Why we dream", topic=sleep)
    make_article("What is a Muscle Cramp?")
    data = data_of(client, "/widgets/topic/data/?topic=sleep")
    assert data["title"] == "Articles on Sleep"
    assert [item["text"] for item in data["items"]] == ["Why we dream"]
    assert "Muscle Cramp" not in frame_text(client, "/widgets/topic/?topic=sleep")


def test_article_card_shows_title_byline_and_summary(client: Client, article: Article) -> None:
    item = data_of(client, f"/widgets/article/data/?article={article.slug}")["items"][0]
    assert item["text"] == article.title
    assert "A cramp is a sudden, painful tightening" in item["summary"]
    assert article.written_by.name in item["meta"]
    assert item["url"] == "http://testserver" + article.get_absolute_url()


def test_the_card_the_home_page_and_search_engines_give_one_summary(
    client: Client, article: Article
) -> None:
    """The summary staff wrote is the article's summary everywhere it is shown."""
    Article.objects.filter(pk=article.pk).update(synopsis="Why muscles lock, and what helps.")
    item = data_of(client, f"/widgets/article/data/?article={article.slug}")["items"][0]
    assert item["summary"] == "Why muscles lock, and what helps."
    assert "Why muscles lock, and what helps." in visible_text(client.get("/").content)
    page = client.get(article.get_absolute_url()).content.decode()
    assert 'name="description" content="Why muscles lock, and what helps."' in page


def test_every_link_in_a_frame_opens_the_site_in_a_new_tab(
    client: Client, article: Article
) -> None:
    Fact.objects.create(text="Octopuses have three hearts.")
    for url in ("/widgets/fact/", "/widgets/latest/", f"/widgets/article/?article={article.slug}"):
        html = client.get(url).content.decode()
        links = html.count("<a ")
        assert links >= 2  # the content, and the site's name linking home
        assert html.count('target="_blank" rel="noopener"') == links
        assert 'From <a href="http://testserver/"' in html


def test_a_draft_article_has_no_card(client: Client, make_article: Callable[..., Article]) -> None:
    draft = make_article("Secret plans", status=Article.Status.DRAFT)
    answer = client.get(f"/widgets/article/?article={draft.slug}")
    assert answer.status_code == 404
    assert "Secret plans" not in answer.content.decode()
