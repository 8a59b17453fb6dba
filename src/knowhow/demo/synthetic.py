"""Synthetic content at any size, for trying the site at scale: `knowhow generate`.

Articles of different lengths across many topics and people, facts and events, and
discussions with replies, mentions, held, removed and deleted posts, all made of words
from the lists below and deterministic for a seed. Rows are streamed to the tables
(PostgreSQL's COPY, SQLite's executemany) with their ids given here, so replies and
mentions need no read back; the search index is built by the database from the stored
articles in set-based statements, and related lists are stored from what the generator
knows each article is about.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import random
import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from django.contrib.auth.models import User
from django.core.management.color import no_style
from django.db import connections, transaction
from django.db.models import Field, JSONField, Max, Model
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from knowhow import markup, pagecache
from knowhow.antiabuse.fingerprints import body_fingerprint
from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion.models import Mention, Post
from knowhow.facts.models import Event, Fact
from knowhow.pagecache.versions import SITE_TAG
from knowhow.search import related
from knowhow.search.backends import for_connection
from knowhow.search.text import SUMMARY_CHARS, vocabulary_words

Progress = Callable[[str, int | None], Callable[[int], None]]

BATCH = 2000
# The password of generated readers: Django's mark of an unusable one, so none signs in.
UNUSABLE = "!generated-reader"


def _quiet(description: str, total: int | None) -> Callable[[int], None]:
    return lambda steps: None


class SiteHasContent(Exception):
    """The database already holds articles or posts, and the caller did not say to add."""

    def __init__(self, articles: int, posts: int) -> None:
        super().__init__(f"{articles} articles, {posts} posts")
        self.articles = articles
        self.posts = posts


@dataclass(frozen=True)
class Generated:
    topics: int
    people: int
    readers: int
    articles: int
    posts: int
    mentions: int
    facts: int
    events: int


# Word lists: the generator's own, combined at random into names, titles and sentences.
FIELDS = """
    gardening cooking astronomy geology weather birds insects trees rivers oceans soil bread
    cheese bicycles clocks bridges lighthouses volcanoes glaciers deserts forests mushrooms
    honey coffee tea wool paper ink glass pottery sailing kites maps tides caves sleep
    memory hearing vision bones muscles teeth skin breathing digestion
""".split()  # noqa: SIM905 - a word list reads best as text
HEALTH_FIELDS = frozenset(FIELDS[-10:])  # the body's: their topics give health information
QUALIFIERS = """
    home coastal urban winter summer mountain small early modern old everyday practical
    quiet northern southern wild indoor outdoor local careful
""".split()  # noqa: SIM905 - a word list reads best as text
THINGS = """
    seeds roots leaves flowers stones crystals clouds storms feathers nests hives wheels
    gears arches beams sails knots threads dyes glazes kilns ovens yeasts grains salts
    sugars oils fibres lenses mirrors magnets springs valves pumps filters ropes ladders
    lanterns compasses anchors currents waves sands pebbles shells reefs moss lichen ferns
    vines bulbs tubers berries nuts husks spores
""".split()  # noqa: SIM905 - a word list reads best as text
VERBS = """
    grow change break form shrink swell harden soften float sink glow fade spread settle
    turn fold crack bend rise fall
""".split()  # noqa: SIM905 - a word list reads best as text
ADJECTIVES = """
    bright dull heavy light thin thick warm cold damp dry rough smooth dense loose sharp
    round hollow tough fragile slow quick tall short pale dark fresh
""".split()  # noqa: SIM905 - a word list reads best as text
FIRST = """
    Ada Bram Cleo Dara Edda Finn Gala Hugo Ines Jory Kaia Lars Mina Nils Oona Pia Quin Rosa
    Sven Tova Ulla Vito Wren Xara Yuki Zeno Alba Bodil Cyra Dov Elin Faro
""".split()  # noqa: SIM905 - a word list reads best as text
LAST = """
    Ashby Birch Corran Dunmore Ellery Fairlie Garrow Holm Ivers Jessop Kerridge Lindqvist
    Marsh Norcott Orme Pryor Quarry Rendell Selby Thorne Upcott Varga Whitlow Yarrow Zell
    Abernet Brackley Callow Dearing Elstow
""".split()  # noqa: SIM905 - a word list reads best as text
OPENINGS = [
    "Most people first notice {thing} when they {verb} in {qual} conditions.",
    "A {adj} layer of {thing} can {verb} within a single season.",
    "Nobody agrees on why {thing} {verb} faster near {other}.",
    "The oldest records describe {thing} that would {verb} without warning.",
    "In {qual} places the {thing} tend to {verb} before the {other} do.",
    "Try watching {thing} for a week and you will see them {verb}.",
    "{Thing} and {other} share more than their {adj} look suggests.",
    "A careful observer can tell {adj} {thing} from {adj2} ones at a glance.",
    "When {thing} {verb}, the {other} nearby usually follow.",
    "The simplest test is to leave {thing} somewhere {adj} overnight.",
    "Early guides warned that {adj} {thing} would never {verb}.",
    "Measurements taken over ten years show {thing} {verb} in cycles.",
]
TITLES = [
    "Why do {thing} {verb}?",
    "How {qual} {thing} {verb}",
    "What makes {thing} {adj}?",
    "A guide to {qual} {thing}",
    "{Thing} and {other}: what links them",
    "How to tell {adj} {thing} from {adj2} ones",
    "When do {thing} {verb} in {field}?",
    "The {adj} side of {field}",
]
REMARKS = [
    "I tried this with {thing} last spring and they did {verb}, slowly.",
    "Does anyone know whether {adj} {thing} behave the same way?",
    "Good explanation. The part about {other} was new to me.",
    "In my experience {qual} {thing} {verb} much sooner than that.",
    "Could you add a note on {thing} in {qual} weather?",
    "My grandmother kept {thing} next to the {other} for exactly this reason.",
    "Thanks, this cleared up something I had wondered about for years.",
    "I am not sure that is right: our {thing} stayed {adj} all winter.",
    "Here is a tip: keep the {other} {adj} and the {thing} will {verb}.",
    "The photo would help, but the text alone is clear enough.",
]
HEADINGS = ["Background", "What happens", "Why it matters", "Common mistakes",
            "Trying it yourself", "What the research says", "Questions people ask"]  # fmt: skip
HOLD_REASONS = [
    "First post of a new account in a health topic.",
    "It links to a site the guard has not seen before.",
    "Readers reported it.",
]
POST_STATUSES = [
    (Post.Status.PUBLISHED, 880),
    (Post.Status.HELD, 30),
    (Post.Status.REMOVED, 30),
    (Post.Status.DELETED, 20),
    (Post.Status.SPAM, 25),
    (Post.Status.REJECTED, 15),
]


class _Words:
    """Sentences from the lists, filled in by one seeded random source."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def fill(self, template: str, **given: str) -> str:
        r = self.rng
        thing, other = r.sample(THINGS, 2)
        adj, adj2 = r.sample(ADJECTIVES, 2)
        words = {
            "thing": thing,
            "other": other,
            "verb": r.choice(VERBS),
            "adj": adj,
            "adj2": adj2,
            "qual": r.choice(QUALIFIERS),
            "field": r.choice(FIELDS),
        }
        words.update(given)
        text = template.format(**words, Thing=words["thing"].capitalize())
        return text[0].upper() + text[1:]


def _next_id(model: type[Model], using: str) -> int:
    return int(model._default_manager.using(using).aggregate(top=Max("pk"))["top"] or 0) + 1


# Values the database takes as Python gives them need no adapting (most of a row).
_PLAIN_TYPES = frozenset({
    "CharField", "TextField", "SlugField", "BooleanField", "IntegerField", "FloatField",
    "PositiveIntegerField", "BigAutoField", "AutoField", "ForeignKey", "EmailField",
    "PositiveSmallIntegerField",
})  # fmt: skip


class _Table:
    """Rows of one model written straight to the table, PostgreSQL's COPY or SQLite's
    executemany: the ORM's per-object work costs more than the insert itself at a million
    rows, and COPY streams rows with no statement per row. Fields a row leaves out take
    the model's default, every field is adapted by the field itself, and a field added to
    the model later is filled by its default without a change here."""

    def __init__(self, model: type[Model], using: str, now: dt.datetime) -> None:
        self.db = connections[using]
        fields = list(model._meta.concrete_fields)
        self.at = {f.attname: n for n, f in enumerate(fields)}
        self.adapt = {f.attname: f for f in fields if f.get_internal_type() not in _PLAIN_TYPES}
        # A row starts as the defaults, adapted once.
        self.template: list[Any] = []
        for f in fields:
            stamped = getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
            value = now if stamped else f.get_default()
            adapt = f.attname in self.adapt
            self.template.append(f.get_db_prep_save(value, self.db) if adapt else value)
        columns = ", ".join(self.db.ops.quote_name(str(f.column)) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        table = self.db.ops.quote_name(model._meta.db_table)
        # Names from the model's own metadata, values as parameters (or COPY's stream).
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
        self.copy = f"COPY {table} ({columns}) FROM STDIN"

    def row(self, **values: Any) -> tuple[Any, ...]:
        out = self.template.copy()
        at, adapt = self.at, self.adapt
        for name, value in values.items():
            field = adapt.get(name)
            out[at[name]] = value if field is None else field.get_db_prep_save(value, self.db)
        return tuple(out)

    def write(self, rows: Iterator[tuple[Any, ...]], advance: Callable[[int], None]) -> int:
        made = 0
        with self.db.cursor() as cursor:
            if self.db.vendor == "postgresql":
                with cursor.cursor.copy(self.copy) as copy:
                    for row in rows:
                        copy.write_row(row)
                        made += 1
                        if made % BATCH == 0:
                            advance(BATCH)
                advance(made % BATCH)
                return made
            batch = []
            for row in rows:
                batch.append(row)
                if len(batch) >= BATCH:
                    cursor.executemany(self.sql, batch)
                    made += len(batch)
                    advance(len(batch))
                    batch = []
            if batch:
                cursor.executemany(self.sql, batch)
                made += len(batch)
                advance(len(batch))
        return made


def _set_each(model: type[Model], name: str, values: list[tuple[int, Any]], using: str) -> None:
    """One column of many rows, each its own value, in a statement per 20,000 rows on
    PostgreSQL (the values as arrays) and one prepared statement on SQLite: the ORM's
    bulk_update builds a CASE of every row, dearer than the update itself."""
    db = connections[using]
    field = model._meta.get_field(name)
    assert isinstance(field, Field)
    table, column = db.ops.quote_name(model._meta.db_table), db.ops.quote_name(str(field.column))
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            kind = field.db_type(db)
            for start in range(0, len(values), 20_000):
                chunk = values[start : start + 20_000]
                given = [json.dumps(v) if isinstance(field, JSONField) else v for _, v in chunk]
                cursor.execute(
                    f"UPDATE {table} AS t SET {column} = v.value "  # noqa: S608 - names from the model
                    f"FROM unnest(%s::bigint[], %s::{kind}[]) AS v(id, value) WHERE t.id = v.id",
                    [[pk for pk, _ in chunk], given],
                )
            return
        cursor.executemany(
            f"UPDATE {table} SET {column} = %s WHERE id = %s",  # noqa: S608 - names from the model
            [(field.get_db_prep_save(v, db), pk) for pk, v in values],
        )


def _paragraph_html(text: str) -> str:
    return f"<p>{html.escape(text, quote=False)}</p>\n"


def generate(
    *,
    articles: int,
    posts: int,
    seed: int = 1,
    force: bool = False,
    using: str = "default",
    progress: Progress = _quiet,
) -> Generated:
    """Fill the database with synthetic content; refuses (SiteHasContent) when it holds
    articles or posts already, unless `force` (then it adds beside them)."""
    have_articles = Article.objects.using(using).count()
    have_posts = Post.objects.using(using).count()
    if (have_articles or have_posts) and not force:
        raise SiteHasContent(have_articles, have_posts)
    rng = random.Random(seed)
    words = _Words(rng)
    now = timezone.now()
    db = connections[using]

    with transaction.atomic(using=using):
        topics = _topics(rng, articles, using)
        people = _people(rng, articles, using)
        readers = _readers(rng, posts, using, now)
    with transaction.atomic(using=using):
        made, vocabulary = _articles(words, articles, topics, people, using, now, progress)
    with transaction.atomic(using=using):
        post_count, mention_count = _posts(words, posts, made, readers, using, now, progress)
    with transaction.atomic(using=using):
        facts, events = _facts_and_events(words, articles, made, topics, using)
    with transaction.atomic(using=using):
        _index(made, vocabulary, using, progress)
        _related(rng, made, using, progress)
    touched = [Topic, Person, User, Article, Post, Mention, Fact, Event]
    statements = db.ops.sequence_reset_sql(no_style(), touched)
    if db.vendor == "postgresql":
        # The planner's figures for the tables just filled, before the first page asks
        # (autovacuum would come to it later; until then it plans for empty tables).
        tables = [m._meta.db_table for m in touched] + ["search_document", "search_title"]
        statements += [f"ANALYZE {', '.join(db.ops.quote_name(t) for t in tables)}"]
    if statements:
        with db.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
    # Every list, topic, byline and thread may show the new rows.
    pagecache.changed(SITE_TAG)
    return Generated(
        topics=len(topics),
        people=len(people),
        readers=len(readers),
        articles=len(made),
        posts=post_count,
        mentions=mention_count,
        facts=facts,
        events=events,
    )


def _topics(rng: random.Random, articles: int, using: str) -> list[tuple[int, str, bool]]:
    wanted = max(8, min(400, articles // 250))
    taken = set(Topic.objects.using(using).values_list("name", flat=True))
    names: list[str] = []
    pairs = [(q, f) for f in FIELDS for q in QUALIFIERS]
    rng.shuffle(pairs)
    for qual, field in pairs:
        name = f"{qual.capitalize()} {field}"
        if name not in taken:
            names.append(name)
        if len(names) == wanted:
            break
    first = _next_id(Topic, using)
    rows = []
    for offset, name in enumerate(names):
        health = name.split()[-1] in HEALTH_FIELDS
        rows.append(
            Topic(
                pk=first + offset,
                name=name,
                slug=slugify(name),
                description=f"Explainers about {name.lower()}.",
                health=health,
                review_months=12 if health else None,
            )
        )
    Topic.objects.using(using).bulk_create(rows)
    return [(t.pk, t.name, t.health) for t in rows]


def _people(rng: random.Random, articles: int, using: str) -> list[int]:
    wanted = max(6, min(2000, articles // 50))
    taken = set(Person.objects.using(using).values_list("name", flat=True))
    first = _next_id(Person, using)
    rows: list[Person] = []
    n = 0
    while len(rows) < wanted:
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if n >= len(FIRST) * len(LAST) // 2:
            name = f"{name} {n}"
        n += 1
        if name in taken:
            continue
        taken.add(name)
        pk = first + len(rows)
        rows.append(Person(pk=pk, name=name, slug=slugify(name), bio=f"{name} writes explainers."))
    Person.objects.using(using).bulk_create(rows)
    return [p.pk for p in rows]


def _readers(rng: random.Random, posts: int, using: str,
             now: dt.datetime) -> list[tuple[int, str]]:  # fmt: skip
    wanted = max(20, min(50_000, posts // 20))
    first = _next_id(User, using)
    taken = set(User.objects.using(using).values_list("username", flat=True))
    rows = []
    for offset in range(wanted):
        name = f"{rng.choice(ADJECTIVES)}_{rng.choice(THINGS)}{first + offset}"
        if name in taken:
            name = f"{name}_"
        rows.append(
            User(
                pk=first + offset,
                username=name,
                password=UNUSABLE,
                date_joined=now - dt.timedelta(days=rng.randint(1, 4000)),
            )
        )
    User.objects.using(using).bulk_create(rows, batch_size=BATCH)
    return [(u.pk, u.username) for u in rows]


@dataclass
class _Made:
    """What later steps need of a generated article, without reading it back."""

    pk: int
    slug: str
    topic: int
    subject: str
    published_at: dt.datetime | None
    live: bool


def _articles(words: _Words, count: int, topics: list[tuple[int, str, bool]],
              people: list[int], using: str, now: dt.datetime,
              progress: Progress) -> tuple[list[_Made], Counter[str]]:  # fmt: skip
    rng = words.rng
    advance = progress("articles", count)
    first = _next_id(Article, using)
    slugs = set(Article.objects.using(using).values_list("slug", flat=True))
    # Some topics and writers have many more articles than others, as on real sites.
    # Summed once (what random.choices does with weights on every call: the same draws).
    topic_weights = list(accumulate(1 / (rank + 1) ** 0.7 for rank in range(len(topics))))
    writer_weights = list(accumulate(1 / (rank + 1) ** 0.5 for rank in range(len(people))))
    made: list[_Made] = []
    sentences = [words.fill(rng.choice(OPENINGS)) for _ in range(3000)]

    table = _Table(Article, using, now)
    # The words of the articles the search index will hold, in how many articles each is
    # (the index's vocabulary), from the parts each article is made of.
    vocabulary: Counter[str] = Counter()
    known: dict[str, set[str]] = {}

    def words_of(text: str) -> set[str]:
        if text not in known:
            known[text] = vocabulary_words(text)
        return known[text]

    def rows() -> Iterator[tuple[Any, ...]]:
        for offset in range(count):
            pk = first + offset
            topic_id, topic_name, health = rng.choices(topics, cum_weights=topic_weights)[0]
            field = topic_name.split()[-1]
            title = words.fill(rng.choice(TITLES), field=field)
            slug = slugify(title)[:180]
            if slug in slugs:
                slug = f"{slug}-{pk}"
            slugs.add(slug)
            subject = rng.choice(THINGS)
            length = rng.choices((3, 7, 18), (40, 45, 15))[0]
            paragraphs = max(1, int(length * rng.uniform(0.6, 1.5)))
            body, body_html = [], []
            lead = words.fill(rng.choice(OPENINGS), thing=subject)
            parts: list[str] = []
            summary = ""
            for number in range(paragraphs):
                if number and number % 4 == 0:
                    heading = rng.choice(HEADINGS)
                    body.append(f"## {heading}")
                    body_html.append(f"<h2>{heading}</h2>\n")
                    parts.append(heading)
                picked = rng.choices(sentences, k=rng.randint(2, 5))
                text = " ".join([lead, *picked] if number == 0 else picked)
                body.append(text)
                body_html.append(_paragraph_html(text))
                parts.extend(picked)
                if number == 0:
                    summary = text[:SUMMARY_CHARS]
            roll = rng.random()
            status = Article.Status.PUBLISHED
            published_at: dt.datetime | None = now - dt.timedelta(
                seconds=rng.randint(3600, 3650 * 86400)
            )
            if roll < 0.05:
                status, published_at = Article.Status.DRAFT, None
            elif roll < 0.07:
                status = Article.Status.SCHEDULED
                published_at = now + dt.timedelta(days=rng.randint(1, 60))
            reviewed = health and rng.random() < 0.4
            writer = rng.choices(people, cum_weights=writer_weights)[0]
            live = status == Article.Status.PUBLISHED
            made.append(_Made(pk, slug, topic_id, subject, published_at, live))
            if live:
                found = vocabulary_words(title, summary, topic_name, lead)
                vocabulary.update(found.union(*map(words_of, parts)))
            advance_date = (published_at or now).date()
            yield table.row(
                id=pk,
                title=title,
                slug=slug,
                topic_id=topic_id,
                written_by_id=writer,
                edited_by_id=rng.choice(people) if rng.random() < 0.6 else None,
                synopsis=words.fill(rng.choice(OPENINGS), thing=subject)
                if rng.random() < 0.7
                else "",
                body="\n\n".join(body) + "\n",
                body_html=markup.name_headings("".join(body_html)),
                reviewed_by_id=rng.choice(people) if reviewed else None,
                reviewed_on=advance_date if reviewed else None,
                status=status,
                stage=Article.Stage.DONE if live else Article.Stage.WRITING,
                published_at=published_at,
                last_modified=advance_date,
            )

    table.write(rows(), advance)
    return made, vocabulary


def _post_pool(words: _Words) -> list[tuple[str, str, str, str]]:
    """Post texts with their HTML (drawn by the real renderer), fingerprint, and the words
    the fingerprint is made of."""
    pool = []
    for _ in range(1500):
        count = words.rng.randint(1, 3)
        text = " ".join(words.fill(words.rng.choice(REMARKS)) for _ in range(count))
        folded = " ".join(_FINGERPRINT_WORDS.sub(" ", text.lower()).split())
        pool.append((text, markup.render_post(text), body_fingerprint(text), folded))
    return pool


# What body_fingerprint reads of plain ASCII text: lower-case words split at anything else.
_FINGERPRINT_WORDS = re.compile(r"[\W_]+")


def _fingerprint_with_name(name: str, folded: str) -> str:
    """body_fingerprint of "@name text", from the text's words already folded (the
    generator's words and names are plain ASCII, which folding only lower-cases)."""
    words = " ".join(_FINGERPRINT_WORDS.sub(" ", name.lower()).split())
    return hashlib.sha256(f"{words} {folded}".encode()).hexdigest()


def _posts(words: _Words, count: int, made: list[_Made], readers: list[tuple[int, str]],
           using: str, now: dt.datetime, progress: Progress) -> tuple[int, int]:  # fmt: skip
    rng = words.rng
    advance = progress("posts", count)
    live = [a for a in made if a.live]
    if not live or not count:
        return 0, 0
    # A few threads are long (the first has at least 5,000 posts when there are enough),
    # most are short, many have none.
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(live))]
    per_article = [0] * len(live)
    longest = min(count // 4, 5000)
    per_article[0] = longest
    for index in rng.choices(range(len(live)), weights, k=count - longest):
        per_article[index] += 1
    pool = _post_pool(words)
    statuses = [s for s, _ in POST_STATUSES]
    # Summed once, as for the articles' topics: the same draws, without a sum per draw.
    status_weights = list(accumulate(w for _, w in POST_STATUSES))
    link = reverse("post-permalink", args=["SLUG", 999999999])
    reader_weights = list(accumulate(1 / (rank + 1) ** 0.6 for rank in range(len(readers))))
    first_post = _next_id(Post, using)
    first_mention = _next_id(Mention, using)
    # Written after the posts (COPY streams one table at a time): ~0.3 of the posts.
    mentions: list[tuple[Any, ...]] = []
    numbers: list[tuple[int, int]] = []
    counters = {"post": first_post, "mention": first_mention}

    table = _Table(Post, using, now)
    mention_table = _Table(Mention, using, now)
    address_hash: dict[int | None, str] = {
        None: hashlib.sha256(b"generated-anonymous").hexdigest(),
        **{pk: hashlib.sha256(f"generated-reader-{pk}".encode()).hexdigest() for pk, _ in readers},
    }

    def rows() -> Iterator[tuple[Any, ...]]:
        for article, size in zip(live, per_article, strict=True):
            if not size:
                continue
            assert article.published_at is not None
            crowd = rng.choices(readers, cum_weights=reader_weights, k=min(40, max(2, size // 5)))
            start = article.published_at.timestamp()
            span = max(60.0, now.timestamp() - start)
            times = sorted(rng.uniform(start, start + span) for _ in range(size))
            earlier: list[tuple[int, int, int, str]] = []  # (post id, number, user id, name)
            latest: dict[int, tuple[int, int]] = {}  # a reader's latest visible post here
            for number in range(1, size + 1):
                pk = counters["post"]
                counters["post"] += 1
                text, body_html, fingerprint, folded = rng.choice(pool)
                author: tuple[int, str] | None = rng.choice(crowd) if rng.random() > 0.05 else None
                status = rng.choices(statuses, cum_weights=status_weights)[0]
                reply_to = None
                if earlier and rng.random() < 0.3:
                    replied_pk, _, target_user, target_name = rng.choice(earlier[-50:])
                    reply_to = replied_pk
                    # A mention links the reader's latest visible post, as posting does.
                    target_pk, target_number = latest[target_user]
                    url = link.replace("SLUG", article.slug).replace(
                        "999999999", str(target_number)
                    )
                    text = f"@{target_name} {text}"
                    body_html = body_html.replace(
                        "<p>", f'<p><a href="{url}" class="mention">@{target_name}</a> ', 1
                    )
                    fingerprint = _fingerprint_with_name(target_name, folded)
                    mentions.append(
                        mention_table.row(
                            id=counters["mention"],
                            post_id=pk,
                            user_id=target_user,
                            target_post_id=target_pk,
                        )  # fmt: skip
                    )
                    counters["mention"] += 1
                created = dt.datetime.fromtimestamp(times[number - 1], tz=dt.UTC)
                taken_down = status in Post.TOMBSTONE_STATUSES
                if status == Post.Status.PUBLISHED and author is not None:
                    earlier.append((pk, number, author[0], author[1]))
                    latest[author[0]] = (pk, number)
                yield table.row(
                    id=pk,
                    article_id=article.pk,
                    number=number,
                    author_id=author[0] if author else None,
                    body=text,
                    body_html=body_html,
                    fingerprint=fingerprint,
                    status=status,
                    reply_to_id=reply_to,
                    held_because=rng.choice(HOLD_REASONS) if status == Post.Status.HELD else "",
                    ip_hash=address_hash[author[0] if author else None],
                    created_at=created,
                    removed_at=created + dt.timedelta(hours=2) if taken_down else None,
                )
            numbers.append((article.pk, size))

    made_posts = table.write(rows(), advance)
    mention_table.write(iter(mentions), lambda steps: None)
    _set_each(Article, "last_post_number", numbers, using)
    return made_posts, counters["mention"] - first_mention


def _facts_and_events(
    words: _Words, articles: int, made: list[_Made], topics: list[tuple[int, str, bool]], using: str
) -> tuple[int, int]:
    rng = words.rng
    live = [a for a in made if a.live] or made
    taken = set(Fact.objects.using(using).values_list("slug", flat=True))
    facts, events = [], []
    fact_links, event_links = [], []
    first_fact, first_event = _next_id(Fact, using), _next_id(Event, using)
    for offset in range(max(20, articles // 100)):
        text = words.fill(rng.choice(OPENINGS))
        slug = Fact.slug_for(text)
        if slug in taken:
            slug = f"{slug[:70]}-{first_fact + offset}"
        taken.add(slug)
        facts.append(Fact(pk=first_fact + offset, text=text, slug=slug,
                          topic_id=rng.choice(topics)[0]))  # fmt: skip
        if live:
            fact_links.append(Fact.related.through(fact_id=first_fact + offset,
                                                   article_id=rng.choice(live).pk))  # fmt: skip
    for offset in range(max(50, articles // 50)):
        day = dt.date(2000, 1, 1) + dt.timedelta(days=rng.randint(0, 365))
        events.append(
            Event(
                pk=first_event + offset,
                year=rng.randint(-500, 2025),
                month=day.month,
                day=day.day,
                text=words.fill(rng.choice(OPENINGS)),
                topic_id=rng.choice(topics)[0],
            )  # fmt: skip
        )
        if live:
            event_links.append(Event.related.through(event_id=first_event + offset,
                                                     article_id=rng.choice(live).pk))  # fmt: skip
    Fact.objects.using(using).bulk_create(facts, batch_size=BATCH)
    Event.objects.using(using).bulk_create(events, batch_size=BATCH)
    Fact.related.through.objects.using(using).bulk_create(fact_links, batch_size=BATCH)
    Event.related.through.objects.using(using).bulk_create(event_links, batch_size=BATCH)
    return len(facts), len(events)


def _index(made: list[_Made], vocabulary: Counter[str], using: str, progress: Progress) -> int:
    """The search index gains every generated article readers can find: the database
    reads each batch of stored articles and indexes them in one statement. What the index
    holds of an article is what knowhow.search.text.document gives of its HTML, worked
    out here in SQL from the generator's own markup: paragraphs of plain words and "## "
    headings, a blank line between blocks, nothing HTML escapes."""
    ids = [a.pk for a in made if a.live]
    advance = progress("search index", len(ids))
    index = for_connection(using)
    db = connections[using]
    article = db.ops.quote_name(Article._meta.db_table)
    topic = db.ops.quote_name(Topic._meta.db_table)
    # The plain text of the HTML: a heading's text alone, the blocks apart by two newlines
    # besides their own, nothing at the end.
    rows = (
        "SELECT a.id AS pk, a.title AS title, t.name AS topic,"  # noqa: S608 - names from models
        " rtrim(replace(replace(a.body, '## ', ''), %s, %s), %s) AS body"
        f" FROM {article} a JOIN {topic} t ON t.id = a.topic_id"
        " WHERE a.id >= %s AND a.id <= %s AND a.status = %s"
    )
    # The summary: the first block, cut as Document cuts it.
    if db.vendor == "postgresql":
        summary, summary_params = "left(split_part(b.body, %s, 1), %s)", ["\n\n", SUMMARY_CHARS]
    else:
        summary = "substr(b.body, 1, min(%s, instr(b.body || %s, %s) - 1))"
        summary_params = [SUMMARY_CHARS, "\n\n", "\n\n"]
    select = (
        f"SELECT b.pk AS pk, b.title AS title, {summary} AS summary, b.topic AS topic,"  # noqa: S608
        f" b.body AS body FROM ({rows}) AS b"
    )
    total = 0
    for start in range(0, len(ids), 5000):
        chunk = ids[start : start + 5000]
        params = ["\n\n", "\n\n\n", "\n", chunk[0], chunk[-1], Article.Status.PUBLISHED]
        total += index.build_selected(select, [*summary_params, *params])
        advance(len(chunk))
    index.count_built(vocabulary)
    return total


def _related(rng: random.Random, made: list[_Made], using: str, progress: Progress) -> None:
    """Each published article's "You might also like": articles of its topic about the same
    thing first, then others of its topic, scored the way the search app scores them."""
    live = [a for a in made if a.live]
    advance = progress("related lists", len(live))
    by_topic: dict[int, list[_Made]] = {}
    by_subject: dict[tuple[int, str], list[_Made]] = {}
    for a in live:
        by_topic.setdefault(a.topic, []).append(a)
        by_subject.setdefault((a.topic, a.subject), []).append(a)
    batch: list[tuple[int, Any]] = []
    for a in live:
        same = [b for b in by_subject[(a.topic, a.subject)][-related.LIMIT - 1 :] if b.pk != a.pk]
        scores: list[list[Any]] = [[b.pk, round(1 + related.SAME_TOPIC, 6), [a.subject]]
                                   for b in same[: related.LIMIT]]  # fmt: skip
        topic = by_topic[a.topic]
        for b in rng.sample(topic, min(len(topic), related.LIMIT + 1)):
            if len(scores) >= related.LIMIT:
                break
            if b.pk != a.pk and all(s[0] != b.pk for s in scores):
                scores.append([b.pk, related.SAME_TOPIC, []])
        batch.append((a.pk, scores))
        if len(batch) >= 20_000:
            _set_each(Article, "related_scores", batch, using)
            advance(len(batch))
            batch = []
    _set_each(Article, "related_scores", batch, using)
    advance(len(batch))
