"""Atom feeds of the newest articles: the site's, each topic's, each person's."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article, Person, Topic
from tests.site.head import Head

ATOM = "{http://www.w3.org/2005/Atom}"


def _feed(client: Client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    assert not response.cookies
    return ET.fromstring(response.content)  # noqa: S314 - our own output, parsed in a test


def _parse_date(text: str | None) -> dt.datetime:
    assert text, "missing date"
    moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    assert moment.tzinfo is not None, f"{text} has no time zone"
    return moment


def assert_valid_atom(feed: ET.Element) -> None:
    """The elements RFC 4287 requires of a feed and of each entry."""
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert (feed.findtext(f"{ATOM}{required}") or "").strip(), f"feed lacks <{required}>"
    _parse_date(feed.findtext(f"{ATOM}updated"))
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    feed_has_author = feed.find(f"{ATOM}author/{ATOM}name") is not None
    ids = []
    for entry in feed.findall(f"{ATOM}entry"):
        for required in ("id", "title", "updated"):
            assert (entry.findtext(f"{ATOM}{required}") or "").strip(), f"entry lacks {required}"
        _parse_date(entry.findtext(f"{ATOM}updated"))
        link = entry.find(f"{ATOM}link")
        assert link is not None and (link.get("href") or "").startswith("http")
        assert feed_has_author or entry.find(f"{ATOM}author/{ATOM}name") is not None
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(ids) == len(set(ids)), "entry ids repeat"


def _titles(feed: ET.Element) -> list[str]:
    return [e.findtext(f"{ATOM}title") or "" for e in feed.findall(f"{ATOM}entry")]


def test_site_feed_lists_published_articles_newest_first_with_their_details(
    make_article: Callable[..., Article], writer: Person, editor: Person, client: Client
) -> None:
    now = timezone.now()
    older = make_article("Why do Knees Click?", published_at=now - dt.timedelta(days=3))
    newer = make_article(
        "What is Hay Fever?",
        published_at=now - dt.timedelta(days=1),
        last_modified=timezone.localdate(),
        body="Hay fever is an allergy to pollen & dust: sneezing < itching.",
    )
    feed = _feed(client, "/feed/")
    assert_valid_atom(feed)
    assert _titles(feed) == [newer.title, older.title]
    entry = feed.findall(f"{ATOM}entry")[0]
    link = entry.find(f"{ATOM}link")
    assert link is not None and link.get("href") == f"http://testserver/articles/{newer.slug}/"
    summary = entry.find(f"{ATOM}summary")
    assert summary is not None and summary.get("type") == "html"
    # Escaped as HTML, the summary reads as the article's own words.
    assert summary.text == "Hay fever is an allergy to pollen &amp; dust: sneezing &lt; itching."
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == writer.name
    assert entry.findtext(f"{ATOM}author/{ATOM}uri") == f"http://testserver/people/{writer.slug}/"
    assert entry.findtext(f"{ATOM}contributor/{ATOM}name") == editor.name
    assert _parse_date(entry.findtext(f"{ATOM}published")) == newer.published_at
    updated = _parse_date(entry.findtext(f"{ATOM}updated"))
    assert updated == newer.modified_at and updated > newer.published_at  # type: ignore[operator]
    category = entry.find(f"{ATOM}category")
    assert category is not None and category.get("term") == newer.topic.name


def test_feeds_never_list_drafts_or_articles_scheduled_for_later(
    make_article: Callable[..., Article], topic: Topic, writer: Person, client: Client
) -> None:
    make_article("Out Now")
    make_article("Unfinished", status=Article.Status.DRAFT)
    make_article("Coming Soon", published_at=timezone.now() + dt.timedelta(days=2))
    for path in ("/feed/", f"/topics/{topic.slug}/feed/", f"/people/{writer.slug}/feed/"):
        assert _titles(_feed(client, path)) == ["Out Now"]


def test_topic_feed_holds_only_that_topics_articles(
    make_article: Callable[..., Article], topic: Topic, client: Client
) -> None:
    other = Topic.objects.create(name="Space", slug="space", description="Up there.")
    make_article("What is a Comet?", topic=other)
    make_article("What is a Cramp?")
    feed = _feed(client, "/topics/space/feed/")
    assert_valid_atom(feed)
    assert _titles(feed) == ["What is a Comet?"]
    assert feed.findtext(f"{ATOM}subtitle") == "Up there."
    alternate = feed.find(f"{ATOM}link[@rel='alternate']")
    assert alternate is not None and alternate.get("href") == "http://testserver/topics/space/"


def test_person_feed_holds_what_they_wrote_and_what_they_edited(
    make_article: Callable[..., Article], writer: Person, editor: Person, client: Client
) -> None:
    outsider = Person.objects.create(name="Someone Else", slug="someone-else")
    make_article("Written by the writer", edited_by=None)
    make_article("Edited by the editor", written_by=outsider)
    make_article("Nothing to do with them", written_by=outsider, edited_by=None)
    feed = _feed(client, f"/people/{editor.slug}/feed/")
    assert_valid_atom(feed)
    assert _titles(feed) == ["Edited by the editor"]
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == editor.name
    assert _titles(_feed(client, f"/people/{writer.slug}/feed/")) == ["Written by the writer"]


def test_unknown_topic_or_person_feed_is_not_found(db: None, client: Client) -> None:
    assert client.get("/topics/nowhere/feed/").status_code == 404
    assert client.get("/people/nobody/feed/").status_code == 404


def test_an_entry_keeps_its_id_when_the_article_is_renamed_and_moved(
    article: Article, client: Client
) -> None:
    before = _feed(client, "/feed/").findall(f"{ATOM}entry")[0].findtext(f"{ATOM}id")
    article.title, article.slug = "A New Name", "a-new-name"
    article.last_modified = timezone.localdate()
    article.save()
    after = _feed(client, "/feed/").findall(f"{ATOM}entry")[0]
    assert after.findtext(f"{ATOM}title") == "A New Name"
    assert after.findtext(f"{ATOM}id") == before
    assert (before or "").startswith("tag:")


def test_feeds_link_to_the_configured_site_address(
    article: Article, client: Client, settings: Any
) -> None:
    settings.SITE_URL = "https://knowhow.example.org"
    feed = _feed(client, "/feed/")
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == "https://knowhow.example.org/feed/"
    entry = feed.findall(f"{ATOM}entry")[0]
    link = entry.find(f"{ATOM}link")
    assert link is not None
    assert link.get("href") == f"https://knowhow.example.org/articles/{article.slug}/"
    assert (entry.findtext(f"{ATOM}author/{ATOM}uri") or "").startswith(
        "https://knowhow.example.org/people/"
    )


@pytest.mark.parametrize("count", [1, 40])
def test_a_feed_takes_the_same_queries_for_few_or_many_articles(
    make_article: Callable[..., Article],
    topic: Topic,
    client: Client,
    django_assert_num_queries: Any,
    count: int,
) -> None:
    for n in range(count):
        make_article(f"Article number {n}")
    with django_assert_num_queries(1):
        _feed(client, "/feed/")
    with django_assert_num_queries(2):  # the topic, then its articles
        feed = _feed(client, f"/topics/{topic.slug}/feed/")
    assert len(_titles(feed)) == min(count, 30)


def test_pages_advertise_their_feeds_in_the_head(
    article: Article, writer: Person, topic: Topic, client: Client
) -> None:
    site_feed = ("/feed/", "application/atom+xml")
    for path in ("/", "/articles/", article.get_absolute_url(), "/topics/", "/facts/"):
        head = Head(client.get(path).content.decode())
        found = [(link["href"], link["type"]) for link in head.link("alternate")]
        assert site_feed in found, path
    topic_head = Head(client.get(topic.get_absolute_url()).content.decode())
    assert [link["href"] for link in topic_head.link("alternate", "application/atom+xml")] == [
        "/feed/",
        f"/topics/{topic.slug}/feed/",
    ]
    person_head = Head(client.get(writer.get_absolute_url()).content.decode())
    (person_feed,) = [
        link for link in person_head.link("alternate") if link["href"].startswith("/people/")
    ]
    assert person_feed["href"] == f"/people/{writer.slug}/feed/"
    assert person_feed["title"] == f"Articles by {writer.name} · Knowhow"
