"""oEmbed: other sites ask how to show one of our articles; only our articles answer."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles.models import Article, Person
from tests.people import signed_in
from tests.site.head import Head


def _ask(client: Client, url: str, **params: str) -> Any:
    return client.get("/oembed", {"url": url, **params})


def test_an_article_address_gets_its_title_author_and_provider_as_json(
    article: Article, writer: Person, client: Client
) -> None:
    response = _ask(client, f"http://testserver/articles/{article.slug}/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies
    answer = json.loads(response.content)
    card = answer.pop("html")
    assert answer == {
        "version": "1.0",
        "type": "rich",
        "width": 320,
        "height": 340,
        "title": article.title,
        "author_name": writer.name,
        "author_url": f"http://testserver/people/{writer.slug}/",
        "provider_name": "Knowhow",
        "provider_url": "http://testserver/",
        "cache_age": 86400,
    }
    # The article card widget in a frame, the same snippet the widget gallery offers.
    frame = (
        f"http://testserver/widgets/article/?article={article.slug}&amp;theme=light&amp;width=320"
    )
    assert card.startswith(f'<iframe src="{frame}" width="320" height="340"')


def test_the_same_answer_comes_as_xml(article: Article, client: Client) -> None:
    response = _ask(client, f"http://testserver/articles/{article.slug}/", format="xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)  # noqa: S314 - our own output, parsed in a test
    assert root.tag == "oembed"
    assert root.findtext("type") == "rich"
    assert root.findtext("html", "").startswith("<iframe ")
    assert root.findtext("title") == article.title
    assert root.findtext("version") == "1.0"


def test_a_thumbnail_is_given_when_the_article_has_a_sized_picture_that_fits(
    make_article: Callable[..., Article], client: Client
) -> None:
    article = make_article(body='<img src="/media/bee.png" width="300" height="200" alt="A bee">')
    url = f"http://testserver/articles/{article.slug}/"
    answer = json.loads(_ask(client, url).content)
    assert answer["thumbnail_url"] == "http://testserver/media/bee.png"
    assert (answer["thumbnail_width"], answer["thumbnail_height"]) == (300, 200)
    smaller = json.loads(_ask(client, url, maxwidth="200").content)
    assert "thumbnail_url" not in smaller


def test_the_card_shrinks_to_a_maximum_width_or_becomes_a_link_when_it_cannot_fit(
    article: Article, client: Client
) -> None:
    url = f"http://testserver/articles/{article.slug}/"
    narrow = json.loads(_ask(client, url, maxwidth="250").content)
    assert (narrow["type"], narrow["width"]) == ("rich", 250)
    assert 'width="250"' in narrow["html"]
    for limits in ({"maxwidth": "120"}, {"maxheight": "100"}):
        answer = json.loads(_ask(client, url, **limits).content)
        assert answer["type"] == "link" and "html" not in answer


def test_the_embedded_card_shows_the_article(article: Article, client: Client) -> None:
    answer = json.loads(_ask(client, f"http://testserver/articles/{article.slug}/").content)
    frame = re.search(r'src="([^"]+)"', answer["html"]).group(1).replace("&amp;", "&")
    page = client.get(frame.removeprefix("http://testserver"))
    assert page.status_code == 200 and article.title in page.content.decode()


def test_an_unknown_format_is_not_implemented(article: Article, client: Client) -> None:
    response = _ask(client, f"http://testserver/articles/{article.slug}/", format="yaml")
    assert response.status_code == 501


@pytest.mark.parametrize("size", ["0", "-5", "12px", "1e3", "999999"])
def test_a_bad_maximum_size_is_refused_with_a_reason(
    article: Article, client: Client, size: str
) -> None:
    response = _ask(client, f"http://testserver/articles/{article.slug}/", maxwidth=size)
    assert response.status_code == 400
    assert b"whole number of pixels" in response.content


def test_a_missing_address_is_refused_with_a_reason(db: None, client: Client) -> None:
    response = client.get("/oembed")
    assert response.status_code == 400
    assert b"url=" in response.content


@pytest.mark.parametrize(
    "url",
    [
        "//testserver/articles/{slug}/",  # protocol-relative
        "/articles/{slug}/",  # a path alone
        "http://evil.example/articles/{slug}/",  # another host
        "http://testserver.evil.example/articles/{slug}/",
        "http://evil.example/?http://testserver/articles/{slug}/",
        "http://testserver@evil.example/articles/{slug}/",  # a user name before another host
        "http://user:pw@testserver/articles/{slug}/",
        "http://testserver:8080/articles/{slug}/",  # another port
        "http:\\\\evil.example\\articles\\{slug}\\",  # backslashes a browser reads as slashes
        "ftp://testserver/articles/{slug}/",
        "javascript:alert(1)//testserver/articles/{slug}/",
        "http://testserver/articles/%7Bslug%7D/",
        "http://testserver/articles/{slug}%2F..%2F..%2Fadmin/",  # encoded path tricks
        "http://testserver/articles/../admin/",
        "http://testserver/articles/{slug}/print/",  # not the article's own page
        "http://testserver/articles/{slug}/posts/1/",
        "http://testserver/admin/",
        "http%3A%2F%2Ftestserver%2Farticles%2F{slug}%2F",  # encoded twice
        " http://testserver/articles/{slug}/",
        "http://testserver/articles/no-such-article/",
        "http://127.0.0.1/articles/{slug}/",
    ],
)
def test_addresses_that_are_not_one_of_our_articles_are_not_found(
    article: Article, client: Client, url: str
) -> None:
    response = _ask(client, url.replace("{slug}", article.slug))
    assert response.status_code == 404, url


def test_a_draft_article_is_not_found(make_article: Callable[..., Article], client: Client) -> None:
    draft = make_article("Unfinished", status=Article.Status.DRAFT)
    assert _ask(client, f"http://testserver/articles/{draft.slug}/").status_code == 404


def test_with_a_site_address_only_that_host_counts(
    article: Article, client: Client, settings: Any
) -> None:
    settings.SITE_URL = "https://knowhow.example.org"
    path = f"/articles/{article.slug}/"
    assert _ask(client, "https://knowhow.example.org" + path).status_code == 200
    assert _ask(client, "http://knowhow.example.org" + path).status_code == 200
    assert _ask(client, "http://testserver" + path).status_code == 404


def test_the_article_page_advertises_its_oembed_addresses(article: Article, client: Client) -> None:
    head = Head(client.get(article.get_absolute_url()).content.decode())
    (as_json,) = head.link("alternate", "application/json+oembed")
    (as_xml,) = head.link("alternate", "text/xml+oembed")
    for link, format in ((as_json, "json"), (as_xml, "xml")):
        parts = urlsplit(link["href"])
        assert (parts.scheme, parts.netloc, parts.path) == ("http", "testserver", "/oembed")
        query = parse_qs(parts.query)
        assert query == {
            "url": [f"http://testserver/articles/{article.slug}/"],
            "format": [format],
        }
        assert client.get(link["href"]).status_code == 200


def test_feeds_sitemaps_robots_and_oembed_may_be_kept_by_anyone_and_set_no_cookie(
    article: Article, client: Client, reader: User
) -> None:
    for visitor in (client, signed_in(reader)):
        for path in (
            "/feed/",
            "/topics/health/feed/",
            "/sitemap.xml",
            "/sitemap-articles.xml",
            "/robots.txt",
            f"/oembed?url=http://testserver/articles/{article.slug}/",
        ):
            response = visitor.get(path)
            directives = {part.strip() for part in response["Cache-Control"].split(",")}
            assert directives == {"public", "no-cache"}, path
            assert not response.cookies, path
            assert "Cookie" not in response.get("Vary", ""), path
