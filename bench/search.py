"""Search at 100,000 articles: median and p95 time of 200 realistic queries.

Builds a throwaway database (an SQLite file in a temporary folder, or a PostgreSQL
database named knowhow_bench_search, dropped first), fills it straight through bulk
inserts with articles written from the demo articles' vocabulary, builds the index in
bulk, then times queries as the results page makes them (count, one page, snippets, and
spelling suggestions when nothing matched).

    .venv/bin/python bench/search.py --database sqlite|postgres [--articles 100000]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "knowhow" / "demo" / "articles"
PG_ADMIN = "postgres://postgres@127.0.0.1:5432/postgres"
PG_NAME = os.environ.get("KNOWHOW_BENCH_SEARCH_DB", "knowhow_bench_search")
# Common words a writer adds to any topic, so texts read like prose, not word salad.
GLUE = (  # noqa: SIM905 - a word list reads best as text
    "the of and a to in is that it for as with was on are by this be from or an which "
    "can when most their more also into than some may other these many its has been"
).split()


def _database(kind: str, reuse: bool) -> None:
    if kind == "sqlite":
        path = Path(tempfile.gettempdir()) / "knowhow-bench-search.sqlite3"
        if not reuse:
            path.unlink(missing_ok=True)
        os.environ["KNOWHOW_DATABASE_URL"] = f"sqlite:///{path}"
        return
    os.environ["KNOWHOW_DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{PG_NAME}"
    if reuse:
        return
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {PG_NAME}")
        admin.execute(f"CREATE DATABASE {PG_NAME}")


def _vocabulary() -> tuple[list[str], list[str]]:
    words: dict[str, int] = {}
    titles = []
    for path in sorted(DEMO.glob("*.md")):
        text = path.read_text()
        titles += re.findall(r"^title: (.+)$", text, re.M)
        for word in re.findall(r"[a-z]{4,}", text.lower()):
            words[word] = words.get(word, 0) + 1
    ranked = sorted(words, key=lambda w: -words[w])
    return ranked, titles


def _articles(count: int, vocabulary: list[str], rng: random.Random) -> None:
    from django.utils import timezone

    from knowhow.articles.models import Article, Person, Topic

    topics = [
        Topic.objects.create(name=name, slug=name.lower())
        for name in ("Health", "Science", "History", "Technology", "Garden", "Food")
    ]
    writer = Person.objects.create(name="Bench Writer", slug="bench-writer")
    # A Zipf-like choice: early (common) words far more often than rare ones.
    weights = [1 / (n + 8) for n in range(len(vocabulary))]
    now = timezone.now()
    batch = []
    for n in range(count):
        picks = rng.choices(vocabulary, weights, k=140)
        glue = rng.choices(GLUE, k=60)
        words = picks + glue
        rng.shuffle(words)
        paragraphs = [" ".join(words[i : i + 50]).capitalize() + "." for i in (0, 50, 100, 150)]
        title_words = rng.choices(vocabulary[:1500], k=rng.randint(3, 6))
        title = (
            f"{rng.choice(['What is', 'How do', 'Why do', 'When does'])} {' '.join(title_words)}?"
        )
        batch.append(
            Article(
                title=title.capitalize(),
                slug=f"bench-{n}",
                topic=topics[n % len(topics)],
                written_by=writer,
                body="\n\n".join(paragraphs),
                body_html="".join(f"<p>{p}</p>" for p in paragraphs),
                status=Article.Status.PUBLISHED,
                published_at=now,
            )
        )
        if len(batch) == 5000:
            Article.objects.bulk_create(batch)
            batch = []
    Article.objects.bulk_create(batch)


def _index() -> None:
    from knowhow.articles.models import Article
    from knowhow.search.backends import for_connection
    from knowhow.search.text import document

    rows = Article.objects.values_list("pk", "title", "topic__name", "body_html").iterator(
        chunk_size=5000
    )
    for_connection().build(document(*row) for row in rows)


def _misspelt(word: str, rng: random.Random) -> str:
    at = rng.randrange(1, len(word) - 1)
    return word[:at] + rng.choice("aeiou") + word[at + 1 :]


def _queries(vocabulary: list[str], titles: list[str], rng: random.Random) -> list[str]:
    common, middle = vocabulary[:300], vocabulary[300:3000]
    made = []
    for n in range(200):
        kind = n % 5
        if kind == 0:
            made.append(rng.choice(middle))
        elif kind == 1:
            made.append(f"{rng.choice(common)} {rng.choice(middle)}")
        elif kind == 2:
            made.append(f'"{rng.choice(common)} {rng.choice(common)}"')
        elif kind == 3:
            word = rng.choice(middle)
            made.append(word[: max(3, len(word) - 3)])
        else:
            made.append(_misspelt(rng.choice([w for w in middle if len(w) > 6]), rng))
    return made


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument(
        "--reuse", action="store_true", help="time the queries on the database the last run made"
    )
    args = parser.parse_args()
    _database(args.database, args.reuse)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knowhow.settings")
    sys.path.insert(0, str(ROOT / "src"))
    import django
    from django.core.management import call_command
    from django.db import connection, transaction

    django.setup()
    call_command("migrate", verbosity=0)
    rng = random.Random(8)
    vocabulary, titles = _vocabulary()
    if not args.reuse:
        started = time.perf_counter()
        with transaction.atomic():
            _articles(args.articles, vocabulary, rng)
        made = time.perf_counter()
        with transaction.atomic():
            _index()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("VACUUM ANALYZE")
            else:
                cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
                cursor.execute("ANALYZE")
        indexed = time.perf_counter()
        print(f"{args.database}: {args.articles} articles made in {made - started:.1f} s, "
              f"indexed in {indexed - made:.1f} s")  # fmt: skip
    rng = random.Random(9)

    from knowhow.search.selectors import search

    queries = _queries(vocabulary, titles, rng)
    for text in queries[:10]:  # warm the caches a site would have warm
        search(text)
    times, found = [], 0
    for text in queries:
        begun = time.perf_counter()
        results = search(text, rng.choice([1, 1, 1, 2]))
        if results.page is not None:
            list(results.page.object_list)
            found += results.page.paginator.count > 0
        times.append((time.perf_counter() - begun) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    median, slowest = statistics.median(times), times[-1]
    print(f"{args.database}: {len(queries)} queries, {found} found something; "
          f"median {median:.1f} ms, p95 {p95:.1f} ms, max {slowest:.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
