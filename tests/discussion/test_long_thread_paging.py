"""A thread of 5,000 posts: its last page costs what its first does. Every page is read from
the thread's index by post number (never an OFFSET), as the database plans it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.pagecache.fragments import fragments

pytestmark = pytest.mark.django_db

POSTS = 5_000


@pytest.fixture
def long_thread(article: Article) -> Article:
    start = timezone.now() - timedelta(days=30)
    held = {n for n in range(7, POSTS, 97)}  # a few held posts, which readers do not see
    Post.objects.bulk_create(
        Post(
            article=article,
            number=n,
            body=f"Post {n} of a long thread.",
            body_html=f"<p>Post {n} of a long thread.</p>",
            status=Post.Status.HELD if n in held else Post.Status.PUBLISHED,
            created_at=start + timedelta(minutes=n),
        )
        for n in range(1, POSTS + 1)
    )
    Article.objects.filter(pk=article.pk).update(last_post_number=POSTS)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    article.refresh_from_db()
    return article


def _drawn(path: str) -> tuple[str, list[str]]:
    """The page drawn anew (nothing kept), and the queries it ran on the posts."""
    cache.clear()
    fragments().clear()
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(path)
    assert response.status_code == 200, path
    posts = [q["sql"] for q in queries.captured_queries if "discussion_post" in q["sql"]]
    return response.content.decode(), posts


def _plan(sql: str) -> list[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            return [str(row[-1]) for row in cursor.fetchall()]
        cursor.execute(f"EXPLAIN {sql}")
        return [str(row[0]) for row in cursor.fetchall()]


def _reads_the_whole_thread(plan: list[str]) -> list[str]:
    """Plan lines that read every post (a full scan) or sort the thread to find a page."""
    if connection.vendor == "sqlite":
        whole = r"SCAN discussion_post( AS \w+)?|USE TEMP B-TREE FOR ORDER BY"
        return [line for line in plan if re.fullmatch(whole, line.strip())]
    return [line for line in plan if re.search(r"Seq Scan on discussion_post|Sort\b", line)]


def numbers(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article[^>]* id="post-(\d+)"', html)]


def test_the_last_page_of_a_5000_post_thread_costs_what_the_first_does(
    long_thread: Article,
) -> None:
    url = long_thread.get_absolute_url()
    first, first_queries = _drawn(url)
    last, last_queries = _drawn(f"{url}?after=0")
    middle, middle_queries = _drawn(f"{url}?before=2501")
    assert numbers(first)[0] == POSTS and len(numbers(first)) == 50
    assert numbers(last)[-1] == 1 and len(numbers(last)) == 50
    assert numbers(middle)[0] == 2500
    assert len(first_queries) == len(last_queries) == len(middle_queries)
    for sql in [*first_queries, *last_queries, *middle_queries]:
        assert "OFFSET" not in sql.upper(), sql
        plan = _plan(sql)
        assert not _reads_the_whole_thread(plan), (sql, plan)


def test_the_last_numbered_page_still_answers(long_thread: Article) -> None:
    url = long_thread.get_absolute_url()
    shown = Post.objects.in_thread().filter(article=long_thread).count()
    response = Client().get(f"{url}?page={shown // 50 + 1}", follow=True)
    assert numbers(response.content.decode())[-1] == 1
