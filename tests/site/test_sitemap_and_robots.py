"""sitemap.xml lists every public page worth finding, with dates; robots.txt names it."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any

from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article, Person, Topic
from knowhow.facts.models import Fact

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _xml(client: Client, path: str) -> ET.Element:
    response = client.get(path)
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/xml"
    assert not response.cookies
    return ET.fromstring(response.content)  # noqa: S314 - our own output, parsed in a test


def _urls(client: Client) -> dict[str, str | None]:
    """Every address the sitemaps list, with its lastmod, found through the index."""
    index = _xml(client, "/sitemap.xml")
    assert index.tag == f"{SITEMAP}sitemapindex"
    found: dict[str, str | None] = {}
    for entry in index.findall(f"{SITEMAP}sitemap"):
        location = entry.findtext(f"{SITEMAP}loc") or ""
        assert location.startswith("http://testserver/sitemap-")
        urlset = _xml(client, location.removeprefix("http://testserver"))
        for url in urlset.findall(f"{SITEMAP}url"):
            found[url.findtext(f"{SITEMAP}loc") or ""] = url.findtext(f"{SITEMAP}lastmod")
    return found


def test_sitemap_lists_articles_topics_people_facts_and_lists_with_dates(
    make_article: Callable[..., Article],
    writer: Person,
    editor: Person,
    topic: Topic,
    client: Client,
) -> None:
    article = make_article(
        last_modified=dt.date(2026, 3, 4), published_at=timezone.now() - dt.timedelta(days=900)
    )
    fact = Fact.objects.create(text="Honey never spoils if it is kept sealed.")
    urls = _urls(client)
    base = "http://testserver"
    assert urls[base + article.get_absolute_url()] == "2026-03-04"
    assert urls[base + topic.get_absolute_url()] == "2026-03-04"
    assert urls[base + writer.get_absolute_url()] == "2026-03-04"
    assert urls[base + editor.get_absolute_url()] == "2026-03-04"
    assert urls[base + fact.get_absolute_url()] == timezone.localdate().isoformat()
    for page in ("/", "/articles/", "/topics/", "/facts/"):
        assert urls[base + page], page


def test_sitemap_never_lists_drafts_scheduled_articles_or_empty_topics_and_people(
    make_article: Callable[..., Article], client: Client
) -> None:
    nobody = Person.objects.create(name="Draft Author", slug="draft-author")
    later = Person.objects.create(name="Later Author", slug="later-author")
    empty = Topic.objects.create(name="Empty", slug="empty")
    make_article("Published one")
    draft = make_article("Unfinished", status=Article.Status.DRAFT, written_by=nobody, topic=empty)
    scheduled = make_article(
        "Coming Soon", published_at=timezone.now() + dt.timedelta(days=1), written_by=later
    )
    listed = " ".join(_urls(client))
    assert "/articles/published-one/" in listed
    for hidden in (draft, scheduled, nobody, later, empty):
        assert hidden.get_absolute_url() not in listed, hidden


def test_sitemap_index_dates_each_sitemap_and_pages_long_ones(
    make_article: Callable[..., Article], client: Client, settings: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr("knowhow.site.crawlers.ArticleSitemap.limit", 2)
    for n in range(5):
        make_article(
            f"Article {n}",
            last_modified=dt.date(2026, 1, 1 + n),
            published_at=dt.datetime(2025, 12, 1, tzinfo=dt.UTC),
        )
    index = _xml(client, "/sitemap.xml")
    entries = {
        e.findtext(f"{SITEMAP}loc"): e.findtext(f"{SITEMAP}lastmod")
        for e in index.findall(f"{SITEMAP}sitemap")
    }
    pages = [loc for loc in entries if loc and "sitemap-articles" in loc]
    assert pages == [
        "http://testserver/sitemap-articles.xml",
        "http://testserver/sitemap-articles.xml?p=2",
        "http://testserver/sitemap-articles.xml?p=3",
    ]
    lastmod = entries["http://testserver/sitemap-articles.xml"] or ""
    assert lastmod.startswith("2026-01-05T00:00:00") and lastmod.endswith("+00:00")
    third = _xml(client, "/sitemap-articles.xml?p=3")
    assert len(third.findall(f"{SITEMAP}url")) == 1
    assert client.get("/sitemap-articles.xml?p=4").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_sitemaps_use_the_configured_site_address(
    article: Article, client: Client, settings: Any
) -> None:
    settings.SITE_URL = "https://knowhow.example.org"
    index = _xml(client, "/sitemap.xml")
    locations = [e.findtext(f"{SITEMAP}loc") or "" for e in index.findall(f"{SITEMAP}sitemap")]
    assert all(loc.startswith("https://knowhow.example.org/sitemap-") for loc in locations)
    urlset = _xml(client, "/sitemap-articles.xml")
    assert [u.findtext(f"{SITEMAP}loc") for u in urlset.findall(f"{SITEMAP}url")] == [
        f"https://knowhow.example.org/articles/{article.slug}/"
    ]


def test_robots_txt_names_the_sitemap_and_keeps_crawlers_off_private_pages(
    db: None, client: Client, settings: Any
) -> None:
    settings.SITE_URL = "https://knowhow.example.org"
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert not response.cookies
    lines = response.content.decode().splitlines()
    assert lines[0] == "User-agent: *"
    assert "Sitemap: https://knowhow.example.org/sitemap.xml" in lines
    disallowed = {line.split(": ", 1)[1] for line in lines if line.startswith("Disallow: ")}
    private_or_endless = (
        "/accounts/",
        "/admin/",
        "/moderation/",
        "/articles/*/posts/",
        "/*?reply=",
        "/search/",
    )
    for private in private_or_endless:
        assert private in disallowed
    # Articles, their print view (noindex, canonical to the article) and lists stay open.
    assert not any(path in ("/", "/articles/") for path in disallowed)
    assert not any("print" in path for path in disallowed)


def test_robots_txt_without_a_site_address_names_the_host_asked(db: None, client: Client) -> None:
    text = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in text.splitlines()
