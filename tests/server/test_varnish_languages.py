"""The shipped Varnish file on a site in English, Spanish and Arabic: the edge keeps one copy
of a page per offered language, whatever words a browser's Accept-Language uses."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.nginx_site import cookies_of
from tests.varnish_site import Edge, edge_site

HTTPS = {"X-Forwarded-Proto": "https"}


@pytest.fixture(scope="module")
def multilingual_edge(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Edge]:
    with edge_site(tmp_path_factory, KNOWHOW_LANGUAGES="en,es,ar") as site:
        yield site


def _page(edge: Edge, cookie: str, language: str | None) -> tuple[str, str, tuple[str, str]]:
    headers = {**HTTPS, "Cookie": cookie}
    if language is not None:
        headers["Accept-Language"] = language
    response, body = edge.request("GET", "/topics/", headers=headers)
    assert response.status == 200
    text = body.decode()
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', text)
    assert found is not None
    return response.headers["X-Edge"], text, (found.group(1), found.group(2))


def test_the_edge_keeps_one_copy_per_offered_language(multilingual_edge: Edge) -> None:
    edge = multilingual_edge
    first, _ = edge.request("GET", "/topics/", headers=HTTPS)
    cookie = f"csrftoken={cookies_of(first)['csrftoken']}"
    served, spanish, lang = _page(edge, cookie, "es-MX,es;q=0.9,en;q=0.5")
    assert lang == ("es", "ltr") and "Temas" in spanish
    # Other wordings of the same choice are the same copy.
    for asked in ("es", "ES-es", "fr-FR, es;q=0.7"):
        served, _, lang = _page(edge, cookie, asked)
        assert (served, lang) == ("HIT", ("es", "ltr")), asked
    served, arabic, lang = _page(edge, cookie, "ar-EG")
    assert (served, lang) == ("MISS", ("ar", "rtl")) and "المواضيع" in arabic
    assert _page(edge, cookie, "ar;q=0.9")[::2] == ("HIT", ("ar", "rtl"))
    # No offered language named, or no header: the site's language, one copy for both.
    served, english, lang = _page(edge, cookie, "de-DE,de;q=0.9")
    assert lang == ("en", "ltr") and "Topics" in english
    assert _page(edge, cookie, None)[::2] == ("HIT", ("en", "ltr"))
    assert _page(edge, cookie, "en-GB")[::2] == ("HIT", ("en", "ltr"))
