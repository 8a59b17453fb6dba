"""A query matching very many articles: its first pages lead with the articles that have
the words in their title, stay full, and follow edits and deletions like any page."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from knowhow.articles.models import Article
from knowhow.search.selectors import search


@pytest.fixture(autouse=True)
def _few_make_a_broad_query(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("knowhow.search.backends.MOST_COUNTED", 20)
    monkeypatch.setattr("knowhow.search.selectors.MOST_COUNTED", 20)
    monkeypatch.setattr("knowhow.search.backends.BROAD", 5)


def _titles(text: str, page: int = 1) -> list[str]:
    results = search(text, page)
    return [hit.article.title for hit in results.page.object_list] if results.page else []


@pytest.fixture
def notes(make_article: Callable[..., Article]) -> list[Article]:
    return [make_article(f"Note {n}", body=f"A glacier moves slowly, note {n}.") for n in range(12)]


def test_the_first_page_is_full_and_leads_with_the_title_match(
    notes: list[Article], make_article: Callable[..., Article]
) -> None:
    make_article("Glacier Facts", body="Ice that flows.")
    found = _titles("glacier")
    assert found[0] == "Glacier Facts" and len(found) == 10
    assert len(set(found) | set(_titles("glacier", 2))) == 13


def test_a_renamed_article_leads_once_its_title_has_the_word(notes: list[Article]) -> None:
    assert "Glacier Notes" not in _titles("glacier")
    notes[3].title = "Glacier Notes"
    notes[3].save()
    assert _titles("glacier")[0] == "Glacier Notes"
    notes[3].title = "Note 3"
    notes[3].save()
    assert _titles("glacier")[0] != "Glacier Notes"


def test_a_deleted_title_match_leaves_the_page_full(
    notes: list[Article], make_article: Callable[..., Article]
) -> None:
    gone = make_article("Glacier Facts", body="Ice that flows.")
    gone.delete()
    found = _titles("glacier")
    assert "Glacier Facts" not in found and len(found) == 10


def test_a_broad_phrase_never_lists_a_title_with_the_words_out_of_order(
    notes: list[Article], make_article: Callable[..., Article]
) -> None:
    make_article("Moves, Glacier", body="Ice that flows.")
    make_article("Glacier Moves", body="Ice that flows.")
    found = _titles('"glacier moves"')
    assert found[0] == "Glacier Moves" and "Moves, Glacier" not in found
    assert "Moves, Glacier" not in _titles('"glacier moves"', 2)
