"""How long each public page takes to draw on a big site, nothing kept: p50 and p99.

Run against a database `knowhow generate` filled (bench/at_scale.py --keep leaves one):
each page is asked of the site in-process (Django's test client, the whole middleware
stack), the page cache and kept parts emptied before every request, so each figure is the
page drawn anew from the database, what a visitor gets after any write. A kept page costs
far less (see bench/serve.py).

    KNOWHOW_DATABASE_URL=... .venv/bin/python bench/pages_at_scale.py [--times 40]
"""

from __future__ import annotations

import argparse
import os
import time


def _addresses() -> dict[str, str]:
    from knowhow.articles.models import Article, Person, Topic
    from knowhow.site.views import PAGE_SIZE

    busiest = Article.objects.published().order_by("-last_post_number").first()
    biggest_topic = max(
        Topic.objects.all()[:50], key=lambda t: Article.objects.published().filter(topic=t).count()
    )
    person = Person.objects.order_by("pk").first()
    assert busiest and person
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
        "article list, middle page": f"/articles/?page={middle}",
        "article list, last page": "/articles/?page=last",
    }


def _p(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(len(ordered) * percent / 100) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--times", type=int, default=40, help="Requests per page.")
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
    print(os.getloadavg(), "load average at the end")


if __name__ == "__main__":
    main()
