"""How long each public page takes to draw on a big site, nothing kept: p50 and p99.

Run against a database `knowhow generate` filled (bench/at_scale.py --keep leaves one):
each page is asked of the site in-process (Django's test client, the whole middleware
stack), the page cache and kept parts emptied before every request, so each figure is the
page drawn anew from the database, what a visitor gets after any write. A kept page costs
far less (see bench/serve.py).

`--plan` has the database plan every query of each page too (as
tests/site/test_pages_hold_at_scale.py does at a small size) and names the queries that
read the articles or the posts whole.

    KNOWHOW_DATABASE_URL=... .venv/bin/python bench/pages_at_scale.py [--times 40] [--plan]
"""

from __future__ import annotations

import argparse
import os
import re
import time

# Tables whose full scan costs time in proportion to the site.
BIG_TABLES = ("articles_article", "discussion_post")


def _addresses() -> dict[str, str]:
    from knowhow.articles.models import Article, Person, Topic
    from knowhow.facts.models import Event, Fact
    from knowhow.site.views import PAGE_SIZE

    busiest = Article.objects.published().order_by("-last_post_number").first()
    biggest_topic = max(
        Topic.objects.all()[:50], key=lambda t: Article.objects.published().filter(topic=t).count()
    )
    person = Person.objects.order_by("pk").first()
    fact = Fact.objects.order_by("pk").first()
    event = Event.objects.order_by("pk").first()
    assert busiest and person and fact and event
    middle = Article.objects.published().count() // PAGE_SIZE // 2
    url = busiest.get_absolute_url()
    return {
        "home": "/",
        f"article, first page of a {busiest.last_post_number:,}-post thread": url,
        "article, last page of that thread (?after=0)": f"{url}?after=0",
        "article, middle page of that thread": f"{url}?before={busiest.last_post_number // 2}",
        "topic, first page": biggest_topic.get_absolute_url(),
        "topic, last page": f"{biggest_topic.get_absolute_url()}?page=last",
        "person": person.get_absolute_url(),
        "search, two common words": "/search/?q=seeds+grow",
        "search, one rare word": "/search/?q=lighthouses",
        "article list, first page": "/articles/",
        "article list, middle page": f"/articles/?page={middle}",
        "article list, last page": "/articles/?page=last",
        "on this day (an event's day)": event.get_absolute_url(),
        "facts": "/facts/",
        "a fact": fact.get_absolute_url(),
    }


def _full_scans(sql: str) -> list[str]:
    """The big tables this query reads whole, as the database plans it."""
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = [str(row[-1]) for row in cursor.fetchall()]
            return [line for line in plan for table in BIG_TABLES
                    if re.fullmatch(rf"SCAN {table}( AS \w+)?", line.strip())]  # fmt: skip
        cursor.execute(f"EXPLAIN {sql}")
        plan = [str(row[0]) for row in cursor.fetchall()]
        return [line for line in plan for table in BIG_TABLES if f"Seq Scan on {table}" in line]


def _plan(name: str, path: str) -> None:
    """Every query of the page planned: how many, and which read a big table whole."""
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from knowhow.pagecache.fragments import fragments

    cache.clear()
    fragments().clear()
    with CaptureQueriesContext(connection) as queries:
        Client().get(path, HTTP_HOST="localhost", follow=True)
    found = [
        (scans, sql)
        for sql in (q["sql"] for q in queries.captured_queries)
        if sql.lstrip().upper().startswith(("SELECT", "WITH")) and (scans := _full_scans(sql))
    ]
    print(f"  {name}: {len(queries)} queries, {len(found)} reading a big table whole")
    for scans, sql in found:
        print(f"    {scans}: {sql[:400]}")


def _p(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * percent / 100) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=40, help="Requests per page.")
    parser.add_argument("--plan", action="store_true", help="Plan each page's queries too.")
    options = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knowhow.settings")
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client
    from django.test.utils import override_settings

    from knowhow.pagecache.fragments import fragments

    plain = override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    })  # fmt: skip
    with plain:
        addresses = _addresses()
        Client().get("/", HTTP_HOST="localhost")  # templates and imports, once
        # CPU time too: on a machine shared with other work it says what the page costs.
        print(f"{'page':<58}{'p50 ms':>9}{'p99 ms':>9}{'CPU p50':>9}{'CPU p99':>9}")
        for name, path in addresses.items():
            times, cpu = [], []
            for _ in range(options.times):
                cache.clear()
                fragments().clear()
                start, start_cpu = time.perf_counter(), time.process_time()
                response = Client().get(path, HTTP_HOST="localhost", follow=True)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
                assert response.status_code == 200, (path, response.status_code)
            print(f"{name:<58}{_p(times, 50):>9.1f}{_p(times, 99):>9.1f}"
                  f"{_p(cpu, 50):>9.1f}{_p(cpu, 99):>9.1f}")  # fmt: skip
        if options.plan:
            print("\nEvery query of each page, planned:")
            for name, path in addresses.items():
                _plan(name, path)
    print(os.getloadavg(), "load average at the end")


if __name__ == "__main__":
    main()
