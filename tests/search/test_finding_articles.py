"""A reader finds articles by any words of them, ranked, with the words marked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article, Topic
from knowhow.search.selectors import search


def _titles(text: str, page: int = 1) -> list[str]:
    results = search(text, page)
    return [hit.article.title for hit in results.page.object_list] if results.page else []


@pytest.fixture
def library(make_article: Callable[..., Article]) -> None:
    make_article(
        "What are Electrolytes?",
        body="Sodium and potassium carry a charge. A muscle spasm can follow their loss.",
    )
    make_article("Why do Muscles Cramp at Night?", body="The calf clenches in the dark.")
    make_article(
        "How do Bees Make Honey?",
        body="Foragers fly from flower to flower; honey fills the comb. Muscles power wings.",
    )


def test_words_in_the_body_are_found(library: None) -> None:
    assert _titles("potassium") == ["What are Electrolytes?"]


def test_a_title_match_ranks_above_a_body_match(library: None) -> None:
    found = _titles("muscles")
    assert found[0] == "Why do Muscles Cramp at Night?" and len(found) == 3


def test_other_forms_of_a_word_are_found(library: None) -> None:
    assert _titles("cramping") == ["Why do Muscles Cramp at Night?"]
    assert _titles("flowers") == ["How do Bees Make Honey?"]


def test_a_quoted_phrase_must_appear_as_written(
    library: None, make_article: Callable[..., Article]
) -> None:
    make_article("Spasms Apart", body="A spasm is not always in a muscle.")
    assert set(_titles("spasm muscle")) == {"What are Electrolytes?", "Spasms Apart"}
    assert _titles('"muscle spasm"') == ["What are Electrolytes?"]


def test_the_last_word_may_be_half_typed(library: None) -> None:
    assert _titles("potass") == ["What are Electrolytes?"]
    assert _titles("sodium potass") == ["What are Electrolytes?"]
    # Only the last word: a half word earlier in the query is a word of its own.
    assert _titles("potass sodium") == []


def test_drafts_and_scheduled_articles_are_not_found(
    library: None, make_article: Callable[..., Article]
) -> None:
    make_article("Draft about Potassium", status=Article.Status.DRAFT, body="potassium")
    make_article(
        "Tomorrow's Potassium", body="potassium", published_at=timezone.now() + dt.timedelta(days=1)
    )
    assert _titles("potassium") == ["What are Electrolytes?"]


def test_results_come_in_pages(make_article: Callable[..., Article]) -> None:
    for n in range(23):
        make_article(f"Glacier Note {n}", body="A glacier moves slowly.")
    first, third = search("glacier", 1), search("glacier", 3)
    assert first.page is not None and third.page is not None
    assert first.page.paginator.count == 23
    assert len(first.page.object_list) == 10 and len(third.page.object_list) == 3
    seen = {h.pk for p in (1, 2, 3) for h in search("glacier", p).page.object_list}  # type: ignore[union-attr]
    assert len(seen) == 23


def test_a_topic_name_finds_its_articles(make_article: Callable[..., Article]) -> None:
    gardens = Topic.objects.create(name="Gardening", slug="gardening")
    make_article("Mulch Basics", topic=gardens, body="Spread it thin.")
    assert _titles("gardening") == ["Mulch Basics"]


@pytest.mark.parametrize(
    "text",
    [
        '"', '""', '"muscle', 'muscle"', "*", "muscle*", "^muscle", "title:muscle", "muscle:",
        "NEAR(muscle spasm)", "muscle AND", "OR", "NOT muscle", "(muscle", "muscle)", "-muscle",
        "a & b | !c", "'muscle'", "muscle <-> spasm", "\\", "%", "électrolyte", "🙂",
        "x" * 5000, "muscle " * 100,
    ],
)  # fmt: skip
def test_query_syntax_in_what_a_reader_types_never_breaks_the_page(
    client: Client, library: None, text: str
) -> None:
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200


def test_operator_words_are_words_not_operators(library: None) -> None:
    # As FTS5 syntax this would exclude nothing or fail; here "not" is a common word.
    assert _titles("NOT potassium") == ["What are Electrolytes?"]
    assert _titles('"potassium') == ["What are Electrolytes?"]


def test_only_common_words_get_a_plain_answer(client: Client, library: None) -> None:
    page = client.get("/search/", {"q": "the and of ?!"}).content.decode()
    assert "Nothing matched" in page and "only very common words" in page


def test_nothing_matched_says_so(client: Client, library: None) -> None:
    page = client.get("/search/", {"q": "zeppelin"}).content.decode()
    assert "Nothing matched “zeppelin”" in page


def test_a_query_matching_very_many_says_more_than(
    client: Client, make_article: Callable[..., Article], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("knowhow.search.backends.MOST_COUNTED", 5)
    monkeypatch.setattr("knowhow.search.selectors.MOST_COUNTED", 5)
    monkeypatch.setattr("knowhow.search.backends.BROAD", 5)
    for n in range(8):
        make_article(f"Glacier Note {n}", body="A glacier moves slowly.")
    make_article("Slow Rivers", body="A glacier is a slow river of ice.")
    page = client.get("/search/", {"q": "glacier"}).content.decode()
    assert "More than 5 articles found" in page
    # The first page of a broad query puts the title matches first.
    assert "Slow Rivers" not in page.split("</ol>")[0]
