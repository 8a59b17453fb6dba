"""Feeds, sitemaps and oEmbed answers are kept like pages, and never outlive a write."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable

import pytest
from django.utils import timezone

from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion.services import post_comment
from knowhow.moderation.services import remove_post
from tests.pagecache.conftest import Clock, Server

ARTICLE_URL = "http://127.0.0.1:8000/articles/{}/"
KEPT = ["/feed/", "/topics/health/feed/", "/sitemap.xml", "/sitemap-articles.xml"]


@pytest.fixture
def kept(server: Server) -> Callable[[str], str]:
    """Ask twice: the second answer comes from memory; return its text."""

    def ask(path: str) -> str:
        server.request(path)
        again = server.request(path)
        assert again.status == 200, path
        assert again.cache == "HIT", path
        assert not again.cookies, path
        return again.text

    return ask


def test_publishing_and_unpublishing_show_in_every_feed_and_sitemap_at_once(
    make_article: Callable[..., Article],
    server: Server,
    other_server: Server,
    kept: Callable[[str], str],
) -> None:
    make_article("Already Out")
    draft = make_article("Fresh Off the Press", status=Article.Status.DRAFT)
    for path in KEPT[:2] + ["/sitemap-articles.xml"]:
        assert "fresh-off-the-press" not in kept(path).lower().replace(" ", "-")
        other_server.request(path)
    draft.status = Article.Status.PUBLISHED
    draft.save()
    for answering in (server, other_server):
        for path in ("/feed/", "/topics/health/feed/"):
            assert "Fresh Off the Press" in answering.request(path).text, path
        assert "/articles/fresh-off-the-press/" in answering.request("/sitemap-articles.xml").text
    draft.status = Article.Status.DRAFT
    draft.save()
    for answering in (server, other_server):
        for path in ("/feed/", "/topics/health/feed/"):
            assert "Fresh Off the Press" not in answering.request(path).text, path
        assert "fresh-off-the-press" not in answering.request("/sitemap-articles.xml").text


def test_a_scheduled_article_enters_the_feed_when_it_goes_live(
    make_article: Callable[..., Article], server: Server, clock: Clock, kept: Callable[[str], str]
) -> None:
    make_article("Already Out")
    make_article("Later", published_at=timezone.now() + dt.timedelta(minutes=5))
    assert "Later" not in kept("/feed/")
    clock.now += 6 * 60
    with pytest.MonkeyPatch.context() as patch:
        later = timezone.now() + dt.timedelta(minutes=6)
        patch.setattr(timezone, "now", lambda: later)
        assert "Later" in server.request("/feed/").text


def test_renaming_a_topic_or_a_person_changes_the_feeds_naming_them(
    article: Article, writer: Person, topic: Topic, server: Server, kept: Callable[[str], str]
) -> None:
    assert writer.name in kept(f"/people/{writer.slug}/feed/")
    assert topic.name in kept("/feed/")
    writer.name = "Wendy Renamed"
    writer.save()
    topic.name = "Wellbeing"
    topic.save()
    assert "Wendy Renamed" in server.request(f"/people/{writer.slug}/feed/").text
    assert 'term="Wellbeing"' in server.request("/feed/").text


def test_an_oembed_answer_follows_the_articles_title(
    article: Article, server: Server, kept: Callable[[str], str]
) -> None:
    path = "/oembed?url=" + ARTICLE_URL.format(article.slug)
    assert article.title in kept(path)
    article.title = "A Clearer Title"
    article.save()
    assert "A Clearer Title" in server.request(path).text


def test_a_kept_feed_has_one_set_of_validators_and_answers_304(
    article: Article, server: Server, kept: Callable[[str], str]
) -> None:
    kept("/feed/")
    answer = server.request("/feed/")
    assert answer.headers["cache-control"] == "public, no-cache"
    raw = server.app  # headers as the WSGI server sends them, names repeated or not
    seen: dict[str, list[str]] = {}

    def start(status: str, headers: list[tuple[str, str]], exc_info: object = None) -> object:
        for name, value in headers:
            seen.setdefault(name.lower(), []).append(value)
        return lambda data: None

    raw(
        {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": "/feed/",
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(),
            "wsgi.errors": io.StringIO(),
        },
        start,
    )
    assert len(seen["last-modified"]) == 1 and len(seen["etag"]) == 1
    again = server.request("/feed/", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status == 304


def test_robots_txt_is_served_from_memory_without_cookies(
    db: None, server: Server, kept: Callable[[str], str]
) -> None:
    assert "Sitemap: http://127.0.0.1:8000/sitemap.xml" in kept("/robots.txt")


def test_a_discussion_feed_is_kept_until_its_thread_changes(
    article: Article, server: Server, other_server: Server, kept: Callable[[str], str]
) -> None:
    path = f"/articles/{article.slug}/posts/feed/"
    post_comment(article=article, body="The first word.")
    assert "The first word." in kept(path)
    other_server.request(path)
    second = post_comment(article=article, body="A second opinion.")
    for answering in (server, other_server):
        assert "A second opinion." in answering.request(path).text
    remove_post(post=second)
    for answering in (server, other_server):
        assert "A second opinion." not in answering.request(path).text
