"""Every page offers a search box that works as a plain form."""

from __future__ import annotations

import pytest
from django.test import Client

from knowhow.articles.models import Article


@pytest.mark.parametrize("path", ["/", "/articles/", "/topics/", "/facts/", "/search/"])
def test_every_page_has_a_labelled_search_box(client: Client, db: None, path: str) -> None:
    page = client.get(path).content.decode()
    assert '<form class="site-search" role="search" method="get" action="/search/">' in page
    assert '<label for="site-search-q">Search articles</label>' in page
    assert 'name="q"' in page


def test_the_article_page_has_it_too(client: Client, article: Article) -> None:
    assert 'action="/search/"' in client.get(article.get_absolute_url()).content.decode()


def test_the_results_page_keeps_the_query_in_the_boxes_and_pages(
    client: Client, make_article: object
) -> None:
    for n in range(12):
        make_article(f"Glacier Note {n}", body="A glacier & its ice.")  # type: ignore[operator]
    page = client.get("/search/", {"q": "glacier ice"}).content.decode()
    assert 'value="glacier ice"' in page
    assert "12 articles found." in page
    assert 'href="?q=glacier+ice&amp;page=2"' in page
