"""Widget answers: cacheable by anyone, no cookies, CORS on the data, framing on the frames,
and every other page still refusing to be framed."""

from __future__ import annotations

import pytest
from django.test import Client

from knowhow.articles.models import Article
from knowhow.facts.models import Fact

pytestmark = pytest.mark.django_db


@pytest.fixture
def widget_urls(article: Article) -> dict[str, list[str]]:
    Fact.objects.create(text="Octopuses have three hearts.")
    kinds = [
        "fact/",
        "on-this-day/",
        "latest/",
        f"topic/?topic={article.topic.slug}",
        f"article/?article={article.slug}",
    ]
    return {
        "frames": [f"/widgets/{kind}" for kind in kinds],
        "data": [f"/widgets/{kind.replace('/', '/data/', 1)}" for kind in kinds],
    }


def test_widgets_are_public_short_lived_and_set_no_cookie(
    client: Client, widget_urls: dict[str, list[str]]
) -> None:
    for url in [*widget_urls["frames"], *widget_urls["data"], "/widgets/embed.js"]:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer["Cache-Control"] == "public, max-age=60", url
        assert answer.has_header("ETag"), url
        assert not answer.cookies, url
        assert "Cookie" not in answer.get("Vary", ""), url


def test_a_matching_etag_gets_304(client: Client, widget_urls: dict[str, list[str]]) -> None:
    for url in [*widget_urls["frames"], *widget_urls["data"], "/widgets/embed.js"]:
        etag = client.get(url)["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304, url


def test_signed_in_visitors_get_no_cookie_either(
    client: Client,
    reader,
    widget_urls: dict[str, list[str]],  # type: ignore[no-untyped-def]
) -> None:
    client.force_login(reader)
    client.cookies["csrftoken"] = "x" * 32
    for url in [*widget_urls["frames"], *widget_urls["data"]]:
        answer = client.get(url)
        assert not answer.cookies, url
        assert "Cookie" not in answer.get("Vary", ""), url


def test_only_the_data_may_be_read_by_other_sites(
    client: Client, widget_urls: dict[str, list[str]]
) -> None:
    for url in widget_urls["data"]:
        assert client.get(url)["Access-Control-Allow-Origin"] == "*", url
    for url in [*widget_urls["frames"], "/widgets/", "/", "/articles/"]:
        assert not client.get(url).has_header("Access-Control-Allow-Origin"), url


def test_only_the_frames_may_be_framed_by_other_sites(
    client: Client, article: Article, widget_urls: dict[str, list[str]]
) -> None:
    for url in widget_urls["frames"]:
        answer = client.get(url)
        assert "frame-ancestors *" in answer["Content-Security-Policy"], url
        assert "frame-ancestors 'none'" not in answer["Content-Security-Policy"], url
        assert not answer.has_header("X-Frame-Options"), url
    for url in ["/", "/widgets/", article.get_absolute_url(), *widget_urls["data"]]:
        answer = client.get(url)
        assert "frame-ancestors 'none'" in answer["Content-Security-Policy"], url
        assert answer["X-Frame-Options"] == "DENY", url


def test_frames_keep_the_rest_of_the_strict_policy(
    client: Client, widget_urls: dict[str, list[str]]
) -> None:
    policy = client.get(widget_urls["frames"][0])["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy
