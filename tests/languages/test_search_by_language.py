"""Search and "You might also Like" stay within a language, and each language's words are
stemmed as that language is where the database can."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client

from knowhow.articles.models import Article
from knowhow.articles.selectors import related_articles
from knowhow.search.selectors import search

pytestmark = pytest.mark.django_db


def _titles(text: str, language: str = "") -> list[str]:
    results = search(text, 1, language)
    return [hit.article.title for hit in results.page.object_list] if results.page else []


def test_an_english_search_never_returns_the_spanish_translation(
    translated: tuple[Article, Article],
) -> None:
    original, spanish = translated
    # "muscular" and "calambre" are words of the Spanish text; "cramp" of the English.
    assert _titles("cramp") == [original.title]
    assert _titles("calambre") == []
    assert _titles("muscular") == []
    assert _titles("calambre", "es") == [spanish.title]
    assert _titles("cramp", "es") == []


def test_spanish_words_are_found_with_their_accents_or_without(
    translated: tuple[Article, Article],
) -> None:
    _, spanish = translated
    assert _titles("músculo", "es") == [spanish.title]
    assert _titles("musculo", "es") == [spanish.title]


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite's FTS5 stems English alone (porter)"
)
def test_spanish_article_is_found_by_another_form_of_its_words_on_postgresql(
    translated: tuple[Article, Article],
) -> None:
    _, spanish = translated
    # The text says "calambre" and "estirar"; Spanish stemming finds their other forms.
    assert _titles("calambres", "es") == [spanish.title]
    assert _titles("estirando", "es") == [spanish.title]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="PostgreSQL stems Spanish (see the test above)"
)
def test_spanish_words_are_matched_as_written_on_sqlite(
    translated: tuple[Article, Article],
) -> None:
    _, spanish = translated
    assert _titles("estirar", "es") == [spanish.title]
    assert _titles("estirando", "es") == []


def test_english_words_are_still_stemmed(translated: tuple[Article, Article]) -> None:
    original, _ = translated
    assert _titles("cramps") == [original.title]
    assert _titles("stretching") == _titles("stretch") == [original.title]


def test_the_search_page_searches_the_readers_language_or_the_one_asked(
    client: Client, translated: tuple[Article, Article]
) -> None:
    original, spanish = translated
    page = client.get("/search/", {"q": "calambre"}).content.decode()
    assert spanish.title not in page
    page = client.get("/search/", {"q": "calambre", "lang": "es"}).content.decode()
    assert spanish.title in page
    # A language code the site does not know is the reader's own language.
    page = client.get("/search/", {"q": "calambre", "lang": "es' OR 1=1"}).content.decode()
    assert spanish.title not in page


def test_related_articles_are_in_the_articles_language(
    make_article: object, translated: tuple[Article, Article]
) -> None:
    original, spanish = translated
    other = make_article(  # type: ignore[operator]
        "Why do Muscles Cramp at Night?",
        body="A cramp at night tightens the calf muscle; stretching helps the cramp pass.",
    )
    original.refresh_from_db()
    spanish.refresh_from_db()
    assert [a.pk for a in related_articles(original)] == [other.pk]
    assert related_articles(spanish) == []
