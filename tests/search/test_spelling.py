"""A misspelt query is offered the index's own spelling of the word."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from knowhow.articles.models import Article


def test_a_misspelt_word_is_offered_the_word_the_articles_use(
    client: Client, make_article: Callable[..., Article]
) -> None:
    make_article("What are Electrolytes?", body="Electrolytes carry a charge in water.")
    make_article("Election Night", body="Votes are counted.")
    page = client.get("/search/", {"q": "electrolites"}).content.decode()
    assert "Nothing matched" in page
    assert 'Did you mean <a href="/search/?q=electrolytes">electrolytes</a>?' in page
    assert "What are Electrolytes?" in client.get("/search/?q=electrolytes").content.decode()


def test_a_word_no_article_uses_any_more_is_not_offered(
    client: Client, make_article: Callable[..., Article]
) -> None:
    gone = make_article("Zeppelins", body="Zeppelins float.")
    gone.delete()
    page = client.get("/search/", {"q": "zepelins"}).content.decode()
    assert "Did you mean" not in page


def test_words_found_get_no_suggestion(
    client: Client, make_article: Callable[..., Article]
) -> None:
    make_article("Honey", body="Bees make honey.")
    assert "Did you mean" not in client.get("/search/", {"q": "honey"}).content.decode()
