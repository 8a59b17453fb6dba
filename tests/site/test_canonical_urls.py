"""Every public page names its one address: absolute, and without queries but paging."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client

from knowhow.articles.models import Article, Person, Topic
from knowhow.facts.models import Fact
from tests.site.head import Head


def _canonical(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200, path
    (link,) = Head(response.content.decode()).link("canonical")
    return link["href"]


def test_every_public_page_names_its_absolute_address(
    article: Article, writer: Person, topic: Topic, client: Client
) -> None:
    fact = Fact.objects.create(text="Bees visit many flowers to make a spoonful of honey.")
    for path in (
        "/",
        "/articles/",
        article.get_absolute_url(),
        "/topics/",
        topic.get_absolute_url(),
        writer.get_absolute_url(),
        "/facts/",
        fact.get_absolute_url(),
        "/on-this-day/2/29/",
    ):
        assert _canonical(client, path) == "http://testserver" + path


def test_queries_are_dropped_but_a_lists_page_number_is_kept(
    make_article: Callable[..., Article], client: Client
) -> None:
    for n in range(25):
        make_article(f"Article {n}")
    assert _canonical(client, "/articles/?utm_source=x") == "http://testserver/articles/"
    assert _canonical(client, "/articles/?page=1") == "http://testserver/articles/"
    assert _canonical(client, "/articles/?page=2&x=1") == "http://testserver/articles/?page=2"
    # A page past the end shows the last page, and says so.
    assert _canonical(client, "/articles/?page=99") == "http://testserver/articles/?page=2"
    assert _canonical(client, "/articles/?page=<b>") == "http://testserver/articles/"


def test_the_article_page_is_canonical_whatever_its_discussion_page_or_reply(
    article: Article, client: Client
) -> None:
    url = "http://testserver" + article.get_absolute_url()
    assert _canonical(client, article.get_absolute_url() + "?before=3") == url
    assert _canonical(client, article.get_absolute_url() + "?reply=1") == url


def test_the_print_view_points_at_the_article(article: Article, client: Client) -> None:
    response = client.get(article.get_print_url())
    (link,) = Head(response.content.decode()).link("canonical")
    assert link["href"] == "http://testserver" + article.get_absolute_url()


def test_canonical_addresses_use_the_configured_site_address_whatever_the_host(
    article: Article, client: Client, settings: Any
) -> None:
    settings.SITE_URL = "https://knowhow.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "other.example"]
    response = client.get(article.get_absolute_url(), headers={"host": "other.example"})
    (link,) = Head(response.content.decode()).link("canonical")
    assert link["href"] == "https://knowhow.example.org" + article.get_absolute_url()


def test_a_missing_page_names_no_canonical_address(db: None, client: Client) -> None:
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert Head(response.content.decode()).link("canonical") == []
