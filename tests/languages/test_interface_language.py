"""Readers switch the interface between the languages the operator allows, without
JavaScript, and the page cache never gives one reader's language to another."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from knowhow.articles.models import Article
from tests.pagecache.conftest import Server

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _lang(text: str) -> str:
    return re.search(r'<html lang="([^"]+)" dir="([^"]+)">', text).group(1, 2)  # type: ignore[union-attr,return-value]


@pytest.mark.django_db
def test_one_language_offers_no_switcher(client: Client, article: Article) -> None:
    page = client.get(article.get_absolute_url()).content.decode()
    assert "language-switcher" not in page


def test_kept_pages_are_kept_per_language(multilingual_server: Server, article: Article) -> None:
    server, url = multilingual_server, article.get_absolute_url()
    spanish = server.request(url, headers={"Accept-Language": "es-ES,es;q=0.9"})
    assert (spanish.cache, _lang(spanish.text)) == ("MISS", ("es", "ltr"))
    assert "accept-language" in spanish.headers["vary"].lower()
    english = server.request(url, headers={"Accept-Language": "en-GB,en;q=0.8"})
    assert (english.cache, _lang(english.text)) == ("MISS", ("en", "ltr"))
    # Each from memory now, each in its own language.
    assert _lang(server.request(url, headers={"Accept-Language": "es"}).text) == ("es", "ltr")
    again = server.request(url, headers={"Accept-Language": "en-GB"})
    assert (again.cache, _lang(again.text)) == ("HIT", ("en", "ltr"))
    # A browser asking for a language the site does not offer gets the site's.
    other = server.request(url, headers={"Accept-Language": "de"})
    assert (other.cache, _lang(other.text)) == ("HIT", ("en", "ltr"))
    assert _lang(server.request(url).text) == ("en", "ltr")


def test_chosen_language_wins_over_the_browsers_and_is_kept_for_that_reader(
    multilingual_server: Server, article: Article
) -> None:
    server, url = multilingual_server, article.get_absolute_url()
    page = server.request(url)
    assert 'class="wrap language-switcher" method="post" action="/language/"' in page.text
    assert '<option value="ar" lang="ar" dir="rtl">العربيّة</option>' in page.text
    secret = page.cookies[0].split(";")[0].split("=", 1)[1]
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    chosen = server.request(
        "/language/",
        method="POST",
        cookies={"csrftoken": secret},
        headers={"Referer": "http://127.0.0.1:8000" + url},
        data={"language": "ar", "next": url, "csrfmiddlewaretoken": token},
    )
    assert chosen.status == 302 and chosen.headers["location"] == url
    cookie = next(c.strip() for c in chosen.cookies if "django_language=" in c)
    assert cookie.startswith("django_language=ar;")
    jar = {"csrftoken": secret, "django_language": "ar"}
    arabic = server.request(url, cookies=jar, headers={"Accept-Language": "en"})
    assert _lang(arabic.text) == ("ar", "rtl")
    assert server.request(url, cookies=jar).cache == "HIT"
    assert _lang(server.request(url, headers={"Accept-Language": "en"}).text) == ("en", "ltr")


def test_switching_needs_the_csrf_token(multilingual_server: Server, article: Article) -> None:
    forged = multilingual_server.request(
        "/language/", method="POST", data={"language": "ar", "next": "/"}
    )
    assert forged.status == 403
    assert not any("django_language=" in c for c in forged.cookies)


def test_switching_never_sends_a_reader_to_another_site(
    multilingual_server: Server, article: Article
) -> None:
    server = multilingual_server
    page = server.request(article.get_absolute_url())
    secret = page.cookies[0].split(";")[0].split("=", 1)[1]
    token = TOKEN.search(page.text).group(1)  # type: ignore[union-attr]
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example/"):
        answer = server.request(
            "/language/",
            method="POST",
            cookies={"csrftoken": secret},
            data={"language": "es", "next": target, "csrfmiddlewaretoken": token},
        )
        assert "evil.example" not in answer.headers.get("location", "")


def test_a_language_the_operator_did_not_allow_is_not_taken(
    multilingual_server: Server, article: Article
) -> None:
    server, url = multilingual_server, article.get_absolute_url()
    page = server.request(url, cookies={"django_language": "fr"}, headers={"Accept-Language": "fr"})
    assert _lang(page.text) == ("en", "ltr")
