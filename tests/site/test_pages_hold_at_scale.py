"""Every public page stays cheap on a big site: no query of it scans the articles or the
posts, and no page asks more queries when the site holds more.

The site is generated once for the module (knowhow generate's own code), small first and
then grown, inside one transaction rolled back at the end. KNOWHOW_SCALE_ARTICLES and
KNOWHOW_SCALE_POSTS set the big size; bench/at_scale.py runs the full 100,000 / 1,000,000.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from knowhow.articles.models import Article, Person, Topic
from knowhow.demo.synthetic import generate
from knowhow.discussion.models import Post
from knowhow.facts.models import Event, Fact
from knowhow.pagecache.fragments import fragments
from knowhow.site.views import PAGE_SIZE

# The largest sizes that keep the module near a minute on a shared 2-core machine: the
# search index costs PostgreSQL about 3 ms an article to build, SQLite far less.
SIZES = {"sqlite": (10_000, 40_000), "postgresql": (5_000, 25_000)}
ARTICLES, POSTS = SIZES.get(connection.vendor, SIZES["sqlite"])
ARTICLES = int(os.environ.get("KNOWHOW_SCALE_ARTICLES", ARTICLES))
POSTS = int(os.environ.get("KNOWHOW_SCALE_POSTS", POSTS))
# Tables whose full scan costs time in proportion to the site.
BIG_TABLES = ("articles_article", "discussion_post")


@dataclass
class Pages:
    """Query counts per page at the small size, and the addresses of the big site's pages."""

    small_counts: dict[str, int]


def _middle_page() -> int:
    return max(1, Article.objects.published().count() // PAGE_SIZE // 2)


def _addresses() -> dict[str, str]:
    """One public page of each kind, chosen from what is there now."""
    busiest = (
        Article.objects.published().filter(last_post_number__gt=0).order_by("-last_post_number")
    ).first()
    assert busiest is not None
    topic = Topic.objects.order_by("pk").first()
    person = Person.objects.order_by("pk").first()
    fact = Fact.objects.order_by("pk").first()
    event = Event.objects.order_by("pk").first()
    assert topic and person and fact and event
    middle = busiest.last_post_number // 2
    return {
        "home": "/",
        "article list": "/articles/",
        "article list, last page": "/articles/?page=last",
        "article list, middle page": f"/articles/?page={_middle_page()}",
        "article": busiest.get_absolute_url(),
        "thread, last page": f"{busiest.get_absolute_url()}?after=0",
        "thread, middle page": f"{busiest.get_absolute_url()}?before={middle}",
        "post permalink": f"{busiest.get_absolute_url()}posts/1/",
        "thread feed": f"{busiest.get_absolute_url()}posts/feed/",
        "topic": topic.get_absolute_url(),
        "topic, last page": f"{topic.get_absolute_url()}?page=last",
        "topic feed": f"{topic.get_absolute_url()}feed/",
        "topics": "/topics/",
        "person": person.get_absolute_url(),
        "person feed": f"{person.get_absolute_url()}feed/",
        "search": "/search/?q=seeds+grow",
        "search, one rare word": "/search/?q=lighthouses",
        "site feed": "/feed/",
        "sitemap": "/sitemap.xml",
        "sitemap of articles": "/sitemap-articles.xml",
        "facts": "/facts/",
        "fact": fact.get_absolute_url(),
        "on this day": event.get_absolute_url(),
    }


def _request(path: str) -> tuple[int, list[str]]:
    """The page's status and every query it ran, asked as a visitor with nothing kept."""
    cache.clear()
    fragments().clear()
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path, follow=True)
    assert response.status_code == 200, path
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.fixture(scope="module")
def site(django_db_setup: Any, django_db_blocker: Any) -> Iterator[Pages]:
    # Pages drawn before the per-test settings apply, as tests/conftest.py sets them.
    plain = override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    })  # fmt: skip
    with plain, django_db_blocker.unblock(), transaction.atomic():
        generate(articles=300, posts=3000, seed=3)
        small = {name: _request(path)[0] for name, path in _addresses().items()}
        generate(articles=ARTICLES, posts=POSTS, seed=4, force=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        yield Pages(small_counts=small)
        transaction.set_rollback(True)


def _full_scans(sql: str) -> list[str]:
    """The big tables this query reads whole, as the database plans it."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = [str(row[-1]) for row in cursor.fetchall()]
            return [
                line
                for line in plan
                for table in BIG_TABLES
                if re.fullmatch(rf"SCAN {table}( AS \w+)?", line.strip())
            ]
        cursor.execute(f"EXPLAIN {sql}")
        plan = [str(row[0]) for row in cursor.fetchall()]
        return [line for line in plan for table in BIG_TABLES if f"Seq Scan on {table}" in line]


def _explainable(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("SELECT", "WITH"))


@pytest.mark.django_db
def test_no_public_page_scans_the_articles_or_the_posts(site: Pages, settings: Any) -> None:
    scans: dict[str, list[str]] = {}
    for name, path in _addresses().items():
        for sql in _request(path)[1]:
            if _explainable(sql) and (found := _full_scans(sql)):
                scans.setdefault(name, []).append(f"{found}: {sql[:300]}")
    assert Article.objects.count() > ARTICLES
    assert not scans, scans


@pytest.mark.django_db
def test_no_page_asks_more_queries_on_a_bigger_site(site: Pages) -> None:
    big = {name: _request(path)[0] for name, path in _addresses().items()}
    # Past 1,000 matches a search of common words ranks its first pages among title matches
    # first: one more query, once, however big the site grows (search.backends.BROAD).
    broad = {"search": 1}
    grew = {name: (site.small_counts[name], n) for name, n in big.items()
            if n > site.small_counts[name] + broad.get(name, 0)}  # fmt: skip
    assert not grew, grew


@pytest.mark.django_db
def test_the_last_page_of_a_long_thread_reads_as_few_rows_as_the_first(site: Pages) -> None:
    busiest = Article.objects.order_by("-last_post_number").first()
    assert busiest is not None
    shown = Post.objects.in_thread().filter(article=busiest).count()
    assert shown >= 2000
    first_page = Client().get(busiest.get_absolute_url())
    last_page = Client().get(f"{busiest.get_absolute_url()}?after=0")
    # The oldest post is on the last page, the newest on the first, as before.
    assert 'id="post-1"' in last_page.content.decode()
    assert 'id="post-1"' not in first_page.content.decode()
    with CaptureQueriesContext(connection) as queries:
        Client().get(f"{busiest.get_absolute_url()}?after=0")
    thread = [q["sql"] for q in queries.captured_queries if "discussion_post" in q["sql"]]
    assert not any("OFFSET" in sql.upper() for sql in thread), thread


@pytest.mark.django_db
def test_the_middle_of_the_article_list_skips_ids_not_whole_articles(site: Pages) -> None:
    # Thousands of rows deep, a page skips the articles by their ids alone (one narrow
    # column, no joins), then reads its 20 whole: not thousands of whole rows and joins.
    middle = _middle_page()
    assert middle * PAGE_SIZE > 1000
    _, queries = _request(f"/articles/?page={middle}")
    deep = [sql for sql in queries if "OFFSET" in sql.upper() and "articles_article" in sql]
    assert deep, queries
    narrow = re.compile(
        r'SELECT "articles_article"\."id"( AS "pk")? FROM "articles_article" ', re.I
    )
    whole = [sql[:300] for sql in deep if not narrow.match(sql.strip())]
    assert not whole, whole
    # The page still shows the 20 articles at its place in the list, newest first.
    page = Client().get(f"/articles/?page={middle}").content.decode()
    listing = page.split('<ul class="article-list">', 1)[1].split("</ul>", 1)[0]
    slugs = re.findall(r'<li[^>]*>.*?<a href="/articles/([^"/]+)/"', listing, re.S)
    assert len(slugs) == PAGE_SIZE
    dates = dict(Article.objects.filter(slug__in=slugs).values_list("slug", "published_at"))
    start = (middle - 1) * PAGE_SIZE
    expected = Article.objects.published().values_list("published_at", flat=True)
    assert [dates[slug] for slug in slugs] == list(expected[start : start + PAGE_SIZE])


def _sorts_articles(sql: str) -> list[str]:
    """The steps of this query's plan that sort rows rather than read them in order."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [str(row[-1]) for row in cursor.fetchall() if "TEMP B-TREE" in str(row[-1])]
        cursor.execute(f"EXPLAIN {sql}")
        return [str(row[0]) for row in cursor.fetchall() if "Sort" in str(row[0])]


@pytest.mark.django_db
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite, with no statistics, plans by the status index and sorts whatever indexes"
    " there are; with them (ANALYZE) it reads the featured ones' index",
)
def test_the_home_page_finds_the_featured_article_without_sorting_the_articles(
    site: Pages,
) -> None:
    # Few articles are ever featured: the newest of them is read from an index of those,
    # not found by reading and sorting every published article (seconds at 100,000).
    featured = [sql for sql in _request("/")[1] if "featured_at" in sql and "ORDER BY" in sql]
    assert featured
    sorted_ = {sql[-300:]: steps for sql in featured if (steps := _sorts_articles(sql))}
    assert not sorted_, sorted_
