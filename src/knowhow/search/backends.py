"""The full-text index behind one small interface, on SQLite (FTS5, BM25) or PostgreSQL
(tsvector with weights, a GIN index, ts_rank_cd).

`for_connection()` gives the index of the default database. Writes happen inside the
caller's transaction; reads return published articles only. Snippets come back as safe
HTML: the text is escaped first, then the matched words are marked.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import F
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from knowhow.articles.models import Article, published_q
from knowhow.search.models import Word
from knowhow.search.text import Document, Query

# Private markers around matched words, turned into <mark> once the text is escaped.
START, STOP = "\x02", "\x03"
WEIGHTS = {"title": 10.0, "summary": 4.0, "topic": 2.0, "body": 1.0}


@dataclass(frozen=True)
class Hit:
    pk: int
    snippet: SafeString


def marked(snippet: str) -> SafeString:
    """Escape a snippet, then turn the private markers into <mark>."""
    return with_marks(escape(snippet))


def with_marks(escaped: str) -> SafeString:
    """Text already escaped, with the private markers turned into <mark>."""
    return mark_safe(escaped.replace(START, "<mark>").replace(STOP, "</mark>"))  # noqa: S308


def language_of(doc: Document) -> str:
    return doc.language or str(settings.LANGUAGE_CODE)


class Index:
    """What every backend offers; subclasses hold the SQL. Reads find the articles of one
    language (`language`, the site's by default), stemmed as that language is."""

    table = ""
    key = ""

    def __init__(self, db: BaseDatabaseWrapper, language: str = "") -> None:
        self.db = db
        self.language = language or str(settings.LANGUAGE_CODE)

    def in_language(self, language: str) -> Index:
        """The same index, read for the articles of another language."""
        return type(self)(self.db, language)

    def drop_orphans(self) -> None:
        """Remove the entries of articles no longer there."""
        with self._cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.table} WHERE {self.key} NOT IN "
                "(SELECT id FROM articles_article)"
            )

    def clear(self) -> None:
        """Remove every entry (before the index is built afresh)."""
        with self._cursor() as cursor:
            cursor.execute(f"DELETE FROM {self.table}")  # noqa: S608 - the backend's own table

    def index(self, doc: Document) -> None:
        old = self._stored_words(doc.pk)
        self._write(doc)
        self._count_words(doc.words(), old)

    def remove(self, pk: int) -> None:
        old = self._stored_words(pk)
        if old is None:
            return
        self._delete(pk)
        self._count_words(set(), old)

    def build(self, docs: Iterable[Document]) -> int:
        """Index many new articles at once (an empty index, a migration, the benchmark)."""
        counts: Counter[str] = Counter()
        batch: list[Document] = []
        total = 0
        for doc in docs:
            batch.append(doc)
            counts.update(doc.words())
            if len(batch) >= 2000:
                total += self._write_many(batch)
                batch = []
        total += self._write_many(batch)
        self.count_built(counts)
        return total

    def build_selected(self, select: str, params: Sequence[Any]) -> int:
        """Index many new articles at once, set-based: `select` is a query giving columns
        pk, title, summary, topic and body (the plain text a Document holds), all of this
        index's language; the database reads and indexes them in one statement, none of
        it passing through Python. The caller counts their words (`count_built`)."""
        raise NotImplementedError

    def count_built(self, counts: Counter[str]) -> None:
        """The vocabulary gains the words of documents just built: in how many each is."""
        existing = set(Word.objects.filter(word__in=list(counts)).values_list("word", flat=True))
        Word.objects.bulk_create(
            [Word(word=w[:60], length=len(w), documents=n) for w, n in counts.items()
             if w not in existing],
            batch_size=5000,
        )  # fmt: skip
        for word in existing:
            Word.objects.filter(word=word).update(documents=F("documents") + counts[word])

    def _count_words(self, new: set[str], old: set[str] | None) -> None:
        old = old or set()
        added, dropped = new - old, old - new
        if added:
            Word.objects.bulk_create(
                [Word(word=w[:60], length=len(w), documents=0) for w in added],
                ignore_conflicts=True,
            )
            Word.objects.filter(word__in=added).update(documents=F("documents") + 1)
        if dropped:
            Word.objects.filter(word__in=dropped).update(documents=F("documents") - 1)
            Word.objects.filter(word__in=dropped, documents__lte=0).delete()

    def query(self, query: Query, offset: int, limit: int) -> list[Hit]:
        raise NotImplementedError

    def count(self, query: Query) -> int:
        raise NotImplementedError

    def matching(self, terms: list[str], limit: int) -> list[int]:
        """Published articles having any of these words, best first (for more-like-this)."""
        return self._matching(terms, limit) if terms else []

    def _matching(self, terms: list[str], limit: int) -> list[int]:
        raise NotImplementedError

    def having(self, term: str, among: list[int]) -> set[int]:
        """Which of these articles have this word (stemmed as the index stems)."""
        raise NotImplementedError

    def _stored_words(self, pk: int) -> set[str] | None:
        raise NotImplementedError

    def _write(self, doc: Document) -> None:
        raise NotImplementedError

    def _write_many(self, docs: list[Document]) -> int:
        for doc in docs:
            self._write(doc)
        return len(docs)

    def _delete(self, pk: int) -> None:
        raise NotImplementedError

    def _cursor(self) -> CursorWrapper:
        return self.db.cursor()


# A query matching more articles than this ranks its first pages among title matches.
# Counting stops here: past it, a reader is told "more than" and offered 100 pages.
MOST_COUNTED = 1000
# A query matching more articles than that ranks its first pages among title matches.
BROAD = MOST_COUNTED
BROAD_TOP = 50


def _not_yet_live() -> list[int]:
    """Published articles whose time has not come (few, read by index): the index holds
    them already so that they are found the moment they go live, with no write."""
    return list(Article.objects.not_yet_live().values_list("pk", flat=True)[:1000])


def _published_sql(alias: str, db: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
    """The articles readers see (articles.models.published_q) as a condition on the articles
    table named `alias`, with its parameters: compiled from the one definition."""
    query = Article.objects.filter(published_q()).query
    query.change_aliases({query.get_initial_alias(): alias})
    sql, params = query.get_compiler(connection=db).compile(query.where)
    return sql, list(params)


def porter_stems(language: str) -> bool:
    """Whether SQLite's FTS5 stems this language: its porter stemmer knows English alone."""
    return language.split("-", 1)[0] == "en"


# Articles in other languages than English: words as written (unicode61, accents folded),
# with the language beside them (search migration 0004).
SQLITE_OTHER = "search_fts_other"


class SqliteIndex(Index):
    """FTS5; bm25 weighs title, summary, topic and body. English articles are in
    search_fts with the porter stemmer, the others in search_fts_other, unstemmed, each
    with its language."""

    table, key = "search_fts", "rowid"

    def __init__(self, db: BaseDatabaseWrapper, language: str = "") -> None:
        super().__init__(db, language)
        english = porter_stems(self.language)
        # The table this language's articles are in, and the condition that keeps to them.
        self.table = "search_fts" if english else SQLITE_OTHER
        self.own = "" if english else f"AND {SQLITE_OTHER}.language = %s"
        self.own_params: list[str] = [] if english else [self.language]

    def drop_orphans(self) -> None:
        with self._cursor() as cursor:
            for table in ("search_fts", SQLITE_OTHER):
                cursor.execute(
                    f"DELETE FROM {table} WHERE rowid NOT IN (SELECT id FROM articles_article)"
                )

    def clear(self) -> None:
        with self._cursor() as cursor:
            for table in ("search_fts", SQLITE_OTHER):
                cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - the backend's own table

    def _stored_words(self, pk: int) -> set[str] | None:
        with self._cursor() as cursor:
            for table in ("search_fts", SQLITE_OTHER):
                cursor.execute(
                    f"SELECT title, summary, topic, body FROM {table} WHERE rowid = %s",  # noqa: S608
                    [pk],
                )
                row = cursor.fetchone()
                if row:
                    return Document(pk, *row).words()
        return None

    def _delete(self, pk: int) -> None:
        with self._cursor() as cursor:
            for table in ("search_fts", SQLITE_OTHER):
                cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [pk])  # noqa: S608

    def _write(self, doc: Document) -> None:
        self._delete(doc.pk)
        self._write_many([doc])

    def _write_many(self, docs: list[Document]) -> int:
        english = [d for d in docs if porter_stems(language_of(d))]
        other = [d for d in docs if not porter_stems(language_of(d))]
        with self._cursor() as cursor:
            if english:
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, title, summary, topic, body) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [(d.pk, d.title, d.summary, d.topic, d.body) for d in english],
                )
            if other:
                cursor.executemany(
                    f"INSERT INTO {SQLITE_OTHER} (rowid, title, summary, topic, body, language)"
                    " VALUES (%s, %s, %s, %s, %s, %s)",
                    [(d.pk, d.title, d.summary, d.topic, d.body, language_of(d)) for d in other],
                )
        return len(docs)

    def build_selected(self, select: str, params: Sequence[Any]) -> int:
        language = "" if self.table == "search_fts" else ", language"
        with self._cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {self.table} (rowid, title, summary, topic, body{language}) "
                f"SELECT r.pk, r.title, r.summary, r.topic, r.body{language and ', %s'} "
                f"FROM ({select}) AS r",
                [*self.own_params, *params],
            )
            return int(cursor.rowcount)

    @staticmethod
    def expression(query: Query) -> str:
        """The MATCH expression, built from words only: each one quoted, so nothing a
        reader types is read as FTS5 syntax."""
        parts = [f'"{word}"' for word in query.words]
        parts += ['"' + " ".join(phrase) + '"' for phrase in query.phrases]
        if query.prefix:
            parts.append(f'"{query.prefix}"*')
        return " AND ".join(parts)

    def query(self, query: Query, offset: int, limit: int) -> list[Hit]:
        expression = self.expression(query)
        not_live = _not_yet_live()
        ranked = self._ranked(expression, not_live, offset, limit)
        if not ranked:
            return []
        t = self.table
        # Snippets for the page's rows only, not for every match the ranking looked at.
        marks = ", ".join(["%s"] * len(ranked))
        sql = (
            f"SELECT rowid, snippet({t}, 3, char(2), char(3), '…', 24) FROM {t} "
            f"WHERE {t} MATCH %s AND rowid IN ({marks})"
        )
        with self._cursor() as cursor:
            cursor.execute(sql, [expression, *ranked])
            snippets = dict(cursor.fetchall())
        return [Hit(pk, marked(snippets.get(pk) or "")) for pk in ranked]

    def _ranked(self, expression: str, not_live: list[int], offset: int, limit: int) -> list[int]:
        weights = ", ".join(str(w) for w in WEIGHTS.values())
        marks = ", ".join(["%s"] * len(not_live))
        t = self.table
        sql = (
            f"SELECT rowid FROM {t} WHERE {t} MATCH %s {self.own} "
            f"AND rowid NOT IN ({marks}) ORDER BY bm25({t}, {weights}) LIMIT %s OFFSET %s"
        )
        with self._cursor() as cursor:
            if offset + limit <= BROAD_TOP and self._count(expression, not_live) > BROAD:
                # Ranking tens of thousands of matches costs more than a reader waits: on
                # a broad query the first pages rank the articles with the words in their
                # title, when there are enough of those.
                cursor.execute(
                    sql,
                    [f"{{title}}: ({expression})", *self.own_params, *not_live, limit, offset],
                )
                found = [pk for (pk,) in cursor.fetchall()]
                if len(found) == limit:
                    return found
            cursor.execute(sql, [expression, *self.own_params, *not_live, limit, offset])
            return [pk for (pk,) in cursor.fetchall()]

    def count(self, query: Query) -> int:
        return self._count(self.expression(query), _not_yet_live())

    def _count(self, expression: str, not_live: list[int]) -> int:
        marks = ", ".join(["%s"] * len(not_live))
        t = self.table
        sql = (
            f"SELECT count(*) FROM (SELECT 1 FROM {t} WHERE {t} MATCH %s {self.own} "
            f"AND rowid NOT IN ({marks}) LIMIT {MOST_COUNTED + 1})"
        )
        with self._cursor() as cursor:
            cursor.execute(sql, [expression, *self.own_params, *not_live])
            return int(cursor.fetchone()[0])

    def _matching(self, terms: list[str], limit: int) -> list[int]:
        weights = ", ".join(str(w) for w in WEIGHTS.values())
        published, params = _published_sql("a", self.db)
        t = self.table
        sql = (
            f"SELECT a.id FROM {t} JOIN articles_article a ON a.id = {t}.rowid "
            f"WHERE {t} MATCH %s {self.own} AND {published} "
            f"ORDER BY bm25({t}, {weights}) LIMIT %s"
        )
        expression = " OR ".join(f'"{term}"' for term in terms)
        with self._cursor() as cursor:
            cursor.execute(sql, [expression, *self.own_params, *params, limit])
            return [pk for (pk,) in cursor.fetchall()]

    def having(self, term: str, among: list[int]) -> set[int]:
        marks = ", ".join(["%s"] * len(among))
        t = self.table
        sql = f"SELECT rowid FROM {t} WHERE {t} MATCH %s {self.own} AND rowid IN ({marks})"
        with self._cursor() as cursor:
            cursor.execute(sql, [f'"{term}"', *self.own_params, *among])
            return {pk for (pk,) in cursor.fetchall()}


_PG_DOCUMENT = (
    "setweight(to_tsvector(%s::regconfig, %s), 'A')"
    " || setweight(to_tsvector(%s::regconfig, %s), 'B')"
    " || setweight(to_tsvector(%s::regconfig, %s), 'C')"
    " || setweight(to_tsvector(%s::regconfig, %s), 'D')"
)
# PostgreSQL's text search configurations by language: each stems its own language's words.
# A language without one here, or one the database lacks, is read word for word ("simple").
PG_CONFIGS = {
    "ar": "arabic", "hy": "armenian", "eu": "basque", "ca": "catalan", "da": "danish",
    "nl": "dutch", "en": "english", "fi": "finnish", "fr": "french", "de": "german",
    "el": "greek", "hi": "hindi", "hu": "hungarian", "id": "indonesian", "ga": "irish",
    "it": "italian", "lt": "lithuanian", "ne": "nepali", "nb": "norwegian", "nn": "norwegian",
    "no": "norwegian", "pt": "portuguese", "ro": "romanian", "ru": "russian", "sr": "serbian",
    "es": "spanish", "sv": "swedish", "ta": "tamil", "tr": "turkish", "yi": "yiddish",
}  # fmt: skip
_HAVE_CONFIGS: dict[str, frozenset[str]] = {}
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{1,8})*")


def pg_config(db: BaseDatabaseWrapper, language: str) -> str:
    """The text search configuration this database has for the language, or "simple"."""
    if db.alias not in _HAVE_CONFIGS:
        with db.cursor() as cursor:
            cursor.execute("SELECT cfgname FROM pg_ts_config")
            _HAVE_CONFIGS[db.alias] = frozenset(name for (name,) in cursor.fetchall())
    wanted = PG_CONFIGS.get(language.split("-", 1)[0], "simple")
    return wanted if wanted in _HAVE_CONFIGS[db.alias] else "simple"


# Documents written at once past which they are streamed by COPY rather than inserted.
MANY = 50

# ts_headline does not escape; the body is escaped in SQL first, so the only tags in the
# result are the <mark> it adds.
_PG_ESCAPED_BODY = "replace(replace(replace(d.body, '&', '&amp;'), '<', '&lt;'), '>', '&gt;')"


class PostgresIndex(Index):
    """A tsvector per article (title A, summary B, topic C, body D) under a GIN index, with
    two smaller ones the database derives from it: the article's head (title, summary,
    topic), where broad queries rank their first pages, and its adjacent word pairs, through
    which a phrase finds its candidates (see migration 0002)."""

    table, key = "search_document", "article_id"

    def __init__(self, db: BaseDatabaseWrapper, language: str = "") -> None:
        super().__init__(db, language)
        # Written into the SQL as they are: a code of letters and hyphens, and a name from
        # PG_CONFIGS the database has.
        if not _LANGUAGE_CODE.fullmatch(self.language):
            raise ValueError(f"not a language code: {self.language!r}")
        self._config = ""
        # One results page asks for the count twice (paging, then the broad check).
        self._counts: dict[tuple[str, str], int] = {}
        self._pairs: dict[str, str] = {}

    @property
    def config(self) -> str:
        if not self._config:
            self._config = pg_config(self.db, self.language)
        return self._config

    @property
    def own(self) -> str:
        """The condition that keeps to this index's language, on `d`."""
        return f"d.language = '{self.language}'"

    def _stored_words(self, pk: int) -> set[str] | None:
        with self._cursor() as cursor:
            cursor.execute(
                "SELECT title, summary, topic, body FROM search_document WHERE article_id = %s",
                [pk],
            )
            row = cursor.fetchone()
        return Document(pk, *row).words() if row else None

    def _delete(self, pk: int) -> None:
        with self._cursor() as cursor:
            cursor.execute("DELETE FROM search_document WHERE article_id = %s", [pk])

    def _write(self, doc: Document) -> None:
        self._delete(doc.pk)
        self._write_many([doc])

    def _write_many(self, docs: list[Document]) -> int:
        if len(docs) >= MANY:
            return self._copy_many(docs)
        with self._cursor() as cursor:
            rows = []
            for d in docs:
                language = language_of(d)
                config = pg_config(self.db, language)
                rows.append((d.pk, d.title, d.summary, d.topic, d.body, language, config,
                             config, d.title, config, d.summary, config, d.topic,
                             config, d.body))  # fmt: skip
            cursor.executemany(
                "INSERT INTO search_document (article_id, title, summary, topic, body,"
                f" language, config, document) VALUES (%s, %s, %s, %s, %s, %s, %s,"
                f" {_PG_DOCUMENT})",
                rows,
            )
        return len(docs)

    def _copy_many(self, docs: list[Document]) -> int:
        """Many documents streamed by COPY to a table of this transaction, then indexed by
        the database in one statement per language (no statement per article)."""
        made = 0
        with transaction.atomic(using=self.db.alias), self._cursor() as cursor:
            cursor.execute(
                "CREATE TEMPORARY TABLE IF NOT EXISTS search_incoming (pk bigint, title text,"
                " summary text, topic text, body text, language text) ON COMMIT DROP"
            )
            with cursor.cursor.copy("COPY search_incoming FROM STDIN") as copy:
                for d in docs:
                    copy.write_row((d.pk, d.title, d.summary, d.topic, d.body, language_of(d)))
            for language in sorted({language_of(d) for d in docs}):
                index = self.in_language(language)
                assert isinstance(index, PostgresIndex)
                made += index.build_selected(
                    "SELECT pk, title, summary, topic, body FROM search_incoming"
                    " WHERE language = %s",
                    [language],
                )
            cursor.execute("DELETE FROM search_incoming")
        return made

    def build_selected(self, select: str, params: Sequence[Any]) -> int:
        # The same document _write_many gives, worked out by the database for every row.
        config = self.config
        weighed = _PG_DOCUMENT.replace("%s::regconfig, %s", "%s::regconfig, r.{}").format(
            "title", "summary", "topic", "body"
        )
        with self._cursor() as cursor:
            cursor.execute(
                "INSERT INTO search_document (article_id, title, summary, topic, body,"
                f" language, config, document) SELECT r.pk, r.title, r.summary, r.topic, r.body,"
                f" %s, %s, {weighed} FROM ({select}) AS r",
                [self.language, config, config, config, config, config, *params],
            )
            return int(cursor.rowcount)

    @staticmethod
    def expression(query: Query) -> str:
        """A to_tsquery text built from words only, each one quoted as a lexeme."""
        parts = [f"'{word}'" for word in query.words]
        parts += ["(" + " <-> ".join(f"'{w}'" for w in phrase) + ")" for phrase in query.phrases]
        if query.prefix:
            parts.append(f"'{query.prefix}':*")
        return " & ".join(parts)

    def pairs(self, query: Query) -> str:
        """A tsquery of the neighbouring lexeme pairs the query's phrases need, or "".

        Only words that stem to exactly one lexeme pair up: a stopword in a phrase leaves a
        gap, and the document check that follows still decides."""
        words = sorted({word for phrase in query.phrases for word in phrase})
        if not words:
            return ""
        if (key := self.expression(query)) not in self._pairs:
            self._pairs[key] = self._find_pairs(query, words)
        return self._pairs[key]

    def _find_pairs(self, query: Query, words: list[str]) -> str:
        with self._cursor() as cursor:
            cursor.execute(
                f"SELECT w, tsvector_to_array(to_tsvector('{self.config}', w)) "
                "FROM unnest(%s::text[]) AS w",
                [words],
            )
            lexemes = dict(cursor.fetchall())
        found = [
            f"{lexemes[first][0]} {lexemes[second][0]}"
            for phrase in query.phrases
            for first, second in zip(phrase, phrase[1:], strict=False)
            if len(lexemes[first]) == 1 and len(lexemes[second]) == 1
        ]
        return " & ".join(_tsquery_lexeme(pair) for pair in dict.fromkeys(found))

    def _where(self, query: Query, column: str = "document") -> tuple[str, list[str]]:
        """The match condition on `d` with its parameters; `q` is the query itself."""
        where, params = f"d.{column} @@ q", []
        pairs = self.pairs(query)
        if pairs:
            where += " AND d.pairs @@ %s::tsquery"
            params.append(pairs)
        return where, params

    def query(self, query: Query, offset: int, limit: int) -> list[Hit]:
        not_live = _not_yet_live()
        if offset + limit <= BROAD_TOP and self.count(query, not_live) > BROAD:
            ranked = self._broad(query, not_live, offset, limit)
        else:
            ranked = self._ranked(query, not_live, offset, limit)
        if not ranked:
            return []
        sql = (
            f"SELECT d.article_id, ts_headline('{self.config}', {_PG_ESCAPED_BODY}, "
            f"to_tsquery('{self.config}', %s), "
            "'StartSel=\x02, StopSel=\x03, MaxWords=35, MinWords=15, MaxFragments=1') "
            "FROM search_document d WHERE d.article_id = ANY(%s)"
        )
        with self._cursor() as cursor:
            cursor.execute(sql, [self.expression(query), ranked])
            snippets = dict(cursor.fetchall())
        # The body was escaped in SQL; the markers are the only thing left to turn into tags.
        return [Hit(pk, with_marks(snippets.get(pk, ""))) for pk in ranked]

    def _ranked(
        self,
        query: Query,
        not_live: list[int],
        offset: int,
        limit: int,
        column: str = "document",
        table: str = "search_document",
    ) -> list[int]:
        where, params = (
            self._where(query, column) if table == "search_document" else (f"d.{column} @@ q", [])
        )
        sql = (
            f"SELECT d.article_id FROM {table} d, to_tsquery('{self.config}', %s) q "
            f"WHERE {where} AND {self.own} AND NOT d.article_id = ANY(%s) "
            f"ORDER BY ts_rank_cd(d.{column}, q) DESC, d.article_id DESC LIMIT %s OFFSET %s"
        )
        with self._cursor() as cursor:
            cursor.execute(sql, [self.expression(query), *params, not_live, limit, offset])
            return [pk for (pk,) in cursor.fetchall()]

    def _broad(self, query: Query, not_live: list[int], offset: int, limit: int) -> list[int]:
        """The first pages of a query matching more than BROAD articles. Ranking every
        match would read tens of thousands of whole articles, so these pages rank the
        articles with the words in their title (a small table); when those are too few,
        the ones with them in their head (title, opening paragraph, topic); and when even
        those are too few, the page is filled with other matches, newest first."""
        wanted = offset + limit
        found = self._ranked(query, not_live, 0, wanted, "title", "search_title")
        if len(found) < wanted:
            found = self._ranked(query, not_live, 0, wanted, "head")
        if len(found) < wanted:
            where, params = self._where(query)
            sql = (
                f"SELECT d.article_id FROM search_document d, to_tsquery('{self.config}', %s) q "
                f"WHERE {where} AND {self.own} AND NOT d.head @@ q "
                "AND NOT d.article_id = ANY(%s) "
                "ORDER BY d.article_id DESC LIMIT %s"
            )
            with self._cursor() as cursor:
                cursor.execute(
                    sql, [self.expression(query), *params, not_live, wanted - len(found)]
                )
                found += [pk for (pk,) in cursor.fetchall()]
        return found[offset:wanted]

    def count(self, query: Query, not_live: list[int] | None = None) -> int:
        not_live = _not_yet_live() if not_live is None else not_live
        key = (self.expression(query), repr(not_live))
        if key not in self._counts:
            where, params = self._where(query)
            sql = (
                "SELECT count(*) FROM (SELECT 1 FROM search_document d, "
                f"to_tsquery('{self.config}', %s) q WHERE {where} AND {self.own} "
                "AND NOT d.article_id = ANY(%s) "
                f"LIMIT {MOST_COUNTED + 1}) AS found"
            )
            # With a LIMIT the planner likes to read the table in order and test each
            # whole article, many times slower than the index when matches are spread out.
            with transaction.atomic(using=self.db.alias), self._cursor() as cursor:
                cursor.execute("SELECT set_config('enable_seqscan', 'off', true)")
                cursor.execute(sql, [self.expression(query), *params, not_live])
                self._counts[key] = int(cursor.fetchone()[0])
        return self._counts[key]

    def _matching(self, terms: list[str], limit: int) -> list[int]:
        published, params = _published_sql("a", self.db)
        sql = (
            f"WITH q AS (SELECT to_tsquery('{self.config}', %s) AS q) "
            "SELECT a.id FROM search_document d JOIN articles_article a "
            f"ON a.id = d.article_id, q WHERE d.document @@ q.q AND {self.own} AND {published} "
            "ORDER BY ts_rank_cd(d.document, q.q) DESC LIMIT %s"
        )
        with self._cursor() as cursor:
            cursor.execute(sql, [" | ".join(f"'{t}'" for t in terms), *params, limit])
            return [pk for (pk,) in cursor.fetchall()]

    def having(self, term: str, among: list[int]) -> set[int]:
        sql = (
            "SELECT article_id FROM search_document d WHERE article_id = ANY(%s) "
            f"AND {self.own} AND document @@ to_tsquery('{self.config}', %s)"
        )
        with self._cursor() as cursor:
            cursor.execute(sql, [among, f"'{term}'"])
            return {pk for (pk,) in cursor.fetchall()}


def _tsquery_lexeme(text: str) -> str:
    """One lexeme, quoted for a tsquery read as written (no stemming, no operators)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def for_connection(using: str = "default", language: str = "") -> Index:
    """The index of a database, read for one language's articles (the site's by default)."""
    db = connections[using]
    return PostgresIndex(db, language) if db.vendor == "postgresql" else SqliteIndex(db, language)


def idf(documents: int, total: int) -> float:
    return math.log((total + 1) / (documents + 0.5))
