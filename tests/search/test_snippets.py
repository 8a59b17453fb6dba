"""Snippets show where the words matched, marked, and never let an article's text act as HTML."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from knowhow.articles.models import Article


def test_the_matched_words_are_marked(client: Client, make_article: Callable[..., Article]) -> None:
    make_article("Honey", body="Bees turn nectar into honey over several days.")
    page = client.get("/search/", {"q": "nectar"}).content.decode()
    assert "<mark>nectar</mark>" in page


def test_markup_in_an_article_is_shown_as_text(
    client: Client, make_article: Callable[..., Article]
) -> None:
    make_article(
        "Escaping",
        body="Write `<img src=x onerror=alert(1)>` and &lt;b&gt; to see nectar safely.",
    )
    page = client.get("/search/", {"q": "nectar"}).content.decode()
    snippet = page.split('class="snippet">', 1)[1].split("</p>", 1)[0]
    assert "<img" not in snippet and "&lt;img" in snippet
    assert "<b>" not in snippet
    assert "<mark>nectar</mark>" in snippet


def test_a_query_that_looks_like_markup_is_not_markup(
    client: Client, make_article: Callable[..., Article]
) -> None:
    make_article("Honey", body="Bees make honey.")
    page = client.get("/search/", {"q": "<script>alert(1)</script> honey"}).content.decode()
    assert "<script>alert" not in page
