"""Results pages are kept by the page cache and never outlive an article write."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from knowhow.articles.models import Article
from tests.pagecache.conftest import Clock, Server


@pytest.fixture
def server(transactional_db: None) -> Server:
    return Server(Clock())


def test_a_kept_results_page_shows_an_article_published_after_it(
    server: Server, make_article: Callable[..., Article]
) -> None:
    make_article("Honey", body="Bees make honey from nectar.")
    first = server.request("/search/?q=nectar")
    again = server.request("/search/?q=nectar")
    assert (first.cache, again.cache) == ("MISS", "HIT")
    assert "Nectar Guides" not in again.text
    make_article("Nectar Guides", body="Flowers mark their nectar.")
    after = server.request("/search/?q=nectar")
    assert "Nectar Guides" in after.text


def test_a_retitled_or_withdrawn_article_leaves_kept_results(
    server: Server, make_article: Callable[..., Article]
) -> None:
    article = make_article("Honey", body="Bees make honey from nectar.")
    assert "Honey" in server.request("/search/?q=nectar").text
    article.title = "Golden Syrup"
    article.save()
    assert "Golden Syrup" in server.request("/search/?q=nectar").text
    article.status = Article.Status.DRAFT
    article.save()
    assert "Nothing matched" in server.request("/search/?q=nectar").text
