"""A quoted phrase finds exactly the articles that have it as written, however the index
narrows the candidates first, and follows every edit of an article."""

from __future__ import annotations

from collections.abc import Callable

from knowhow.articles.models import Article
from knowhow.search.selectors import search


def _titles(text: str, page: int = 1) -> list[str]:
    results = search(text, page)
    return [hit.article.title for hit in results.page.object_list] if results.page else []


def test_a_longer_phrase_needs_all_its_words_in_a_row(
    make_article: Callable[..., Article],
) -> None:
    make_article("Salt Together", body="Sodium potassium chloride is on the label.")
    # Every neighbouring pair is here, but never the three words in a row.
    make_article("Salt Apart", body="Sodium potassium pumps. Potassium chloride tastes bitter.")
    assert _titles('"sodium potassium chloride"') == ["Salt Together"]


def test_a_phrase_with_common_words_inside_keeps_their_place(
    make_article: Callable[..., Article],
) -> None:
    make_article("Craft", body="This is the state of the art in glass.")
    make_article("Museum", body="The art of the state is on show.")
    make_article("Far Apart", body="The state has art.")
    assert _titles('"state of the art"') == ["Craft"]


def test_a_phrase_follows_an_edit_of_the_article(make_article: Callable[..., Article]) -> None:
    article = make_article("Wings", body="Bees beat their wings fast.")
    assert _titles('"wings fast"') == ["Wings"]
    article.body = "Bees beat fast with their wings."
    article.save()
    assert _titles('"wings fast"') == []
    assert _titles('"fast with"') == ["Wings"]


def test_a_phrase_in_another_form_is_found(make_article: Callable[..., Article]) -> None:
    make_article("Cramps", body="Night cramps wake runners.")
    assert _titles('"night cramp"') == ["Cramps"]
