"""The article page describes itself to search engines and other sites: JSON-LD,
OpenGraph and Twitter card tags, each checked against what its vocabulary documents."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from knowhow.articles.models import Article, Person, Review, Topic
from tests.site.head import Head

# From schema.org's type pages and Google's Article structured-data guide (which requires
# nothing, and recommends author with name and url, headline, image, datePublished and
# dateModified). REQUIRED is what every page of ours must carry; ALLOWED is every property
# the type defines or inherits that we may use (Thing > CreativeWork > Article or WebPage).
THING = {"@context", "@type", "@id", "url", "name", "description", "image", "mainEntityOfPage"}
CREATIVE_WORK = {
    "headline", "author", "editor", "publisher", "datePublished", "dateModified",
    "inLanguage", "copyrightHolder", "keywords", "about",
}  # fmt: skip
ALLOWED = {
    "Article": THING | CREATIVE_WORK | {"articleSection", "articleBody", "wordCount"},
    "MedicalWebPage": THING
    | CREATIVE_WORK
    | {"lastReviewed", "reviewedBy", "medicalAudience", "specialty", "breadcrumb"},
}
REQUIRED = {
    kind: {
        "@context", "@type", "headline", "description", "author", "datePublished",
        "dateModified", "publisher", "mainEntityOfPage", "url",
    }
    for kind in ALLOWED
}  # fmt: skip
REQUIRED["Article"] |= {"articleSection"}


def _head(client: Client, article: Article) -> Head:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return Head(response.content.decode())


def _iso_with_zone(text: str) -> dt.datetime:
    moment = dt.datetime.fromisoformat(text)
    assert moment.tzinfo is not None, f"{text} names no time zone"
    assert "T" in text
    return moment


def _assert_person(value: dict[str, Any], person: Person) -> None:
    assert value == {
        "@type": "Person",
        "name": person.name,
        "url": f"http://testserver/people/{person.slug}/",
    }


def assert_valid_json_ld(data: dict[str, Any]) -> None:
    kind = data["@type"]
    assert data["@context"] == "https://schema.org"
    assert kind in ALLOWED, kind
    assert REQUIRED[kind] <= set(data), REQUIRED[kind] - set(data)
    assert set(data) <= ALLOWED[kind], set(data) - ALLOWED[kind]
    _iso_with_zone(data["datePublished"])
    _iso_with_zone(data["dateModified"])
    assert data["dateModified"] >= data["datePublished"]
    publisher = data["publisher"]
    assert publisher["@type"] == "Organization" and publisher["name"]
    assert publisher["url"].startswith("http")
    assert publisher["logo"]["url"].startswith("http")
    assert data["mainEntityOfPage"]["@id"] == data["url"]


def test_an_article_is_an_article_with_its_bylines_dates_and_publisher(
    article: Article, writer: Person, editor: Person, client: Client
) -> None:
    (data,) = _head(client, article).json_ld
    assert_valid_json_ld(data)
    assert data["@type"] == "Article"
    assert data["headline"] == article.title
    assert data["url"] == f"http://testserver/articles/{article.slug}/"
    _assert_person(data["author"], writer)
    _assert_person(data["editor"], editor)
    assert _iso_with_zone(data["datePublished"]) == article.published_at.replace(microsecond=0)
    assert data["articleSection"] == article.topic.name
    assert data["publisher"]["name"] == "Knowhow"
    assert data["description"].startswith("A cramp is a sudden, painful tightening")
    # No review is claimed that the article does not carry.
    assert "lastReviewed" not in data and "reviewedBy" not in data


def test_a_health_topics_article_is_a_medical_web_page(
    make_article: Callable[..., Article], client: Client
) -> None:
    health = Topic.objects.create(name="Wellbeing", slug="wellbeing", health=True)
    article = make_article("What is a Migraine?", topic=health, edited_by=None)
    (data,) = _head(client, article).json_ld
    assert_valid_json_ld(data)
    assert data["@type"] == "MedicalWebPage"
    assert "editor" not in data and "lastReviewed" not in data


def test_a_review_the_article_carries_is_named_with_its_date(
    make_article: Callable[..., Article],
    editor: Person,
    client: Client,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    health = Topic.objects.create(name="Wellbeing", slug="wellbeing", health=True)
    article = make_article("What is a Migraine?", topic=health)
    review = Review(reviewed_by=editor, reviewed_on=dt.date(2026, 2, 1))
    monkeypatch.setattr(Article, "review", property(lambda self: review))
    (data,) = _head(client, article).json_ld
    assert_valid_json_ld(data)
    assert data["lastReviewed"] == "2026-02-01"
    _assert_person(data["reviewedBy"], editor)


def test_an_image_in_the_body_becomes_the_articles_image(
    make_article: Callable[..., Article], client: Client
) -> None:
    article = make_article(body='Look:\n\n![A bee](/media/bee.png "Bee")\n\nThat is all.')
    head = _head(client, article)
    (data,) = head.json_ld
    assert data["image"] == ["http://testserver/media/bee.png"]
    assert head.meta["og:image"] == "http://testserver/media/bee.png"


@pytest.mark.parametrize(
    "title",
    [
        "</script><script>alert(1)</script>",
        "</SCRIPT ><img src=x onerror=alert(1)>",
        "<!-- <script> & \u2028 'quotes' \"too\"",
    ],
)
def test_a_hostile_title_cannot_break_out_of_the_json_ld(
    make_article: Callable[..., Article], client: Client, title: str
) -> None:
    article = make_article(title, slug="hostile")
    html = client.get(article.get_absolute_url()).content.decode()
    head = Head(html)
    (raw,) = head.raw_scripts
    for character in "<>&":
        assert character not in raw
    assert head.json_ld[0]["headline"] == title
    assert html.count("<script") == html.count("</script>") == 1 + html.count('src="/static/')


def test_opengraph_and_twitter_cards_describe_the_article(
    article: Article, writer: Person, client: Client
) -> None:
    meta = _head(client, article).meta
    url = f"http://testserver/articles/{article.slug}/"
    assert meta["og:type"] == "article"
    assert meta["og:title"] == meta["twitter:title"] == article.title
    assert meta["og:url"] == url
    assert meta["og:site_name"] == "Knowhow"
    assert meta["og:description"] == meta["twitter:description"] == meta["description"]
    assert meta["og:description"].startswith("A cramp is a sudden")
    assert _iso_with_zone(meta["article:published_time"]) == article.published_at.replace(
        microsecond=0
    )
    _iso_with_zone(meta["article:modified_time"])
    assert meta["article:author"] == f"http://testserver/people/{writer.slug}/"
    assert meta["article:section"] == article.topic.name
    assert meta["twitter:card"] == "summary"


def test_renaming_a_person_or_marking_a_topic_changes_the_next_page(
    article: Article, writer: Person, topic: Topic, client: Client
) -> None:
    _head(client, article)  # the head's part is kept now
    writer.name = "Helen Renamed"
    writer.save()
    topic.health = True
    topic.save()
    (data,) = _head(client, article).json_ld
    assert data["author"]["name"] == "Helen Renamed"
    assert data["@type"] == "MedicalWebPage"


def test_a_reviewed_health_article_carries_its_real_review(
    make_article: Callable[..., Article], editor: Person, client: Client
) -> None:
    health = Topic.objects.create(name="Wellbeing", slug="wellbeing", health=True, review_months=12)
    article = make_article(
        "What is a Migraine?", topic=health, reviewed_by=editor, reviewed_on=dt.date(2026, 2, 1)
    )
    (data,) = _head(client, article).json_ld
    assert_valid_json_ld(data)
    assert data["@type"] == "MedicalWebPage"
    assert data["lastReviewed"] == "2026-02-01"
    _assert_person(data["reviewedBy"], editor)


@pytest.mark.parametrize(
    "fields",
    [{}, {"reviewed_on": dt.date(2026, 2, 1)}, {"reviewed_by": "editor"}],
    ids=["never-reviewed", "date-only", "reviewer-only"],
)
def test_a_health_article_without_a_whole_review_claims_none(
    fields: dict[str, Any], make_article: Callable[..., Article], editor: Person, client: Client
) -> None:
    health = Topic.objects.create(name="Wellbeing", slug="wellbeing", health=True, review_months=12)
    values = {k: editor if v == "editor" else v for k, v in fields.items()}
    article = make_article("What is a Migraine?", topic=health, **values)
    (data,) = _head(client, article).json_ld
    assert_valid_json_ld(data)
    assert "lastReviewed" not in data and "reviewedBy" not in data
