"""An article's language shows on its page; its translations are offered to readers and to
search engines, and stay right when one of them is published or taken down."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow.articles import services
from knowhow.articles.models import Article
from tests.pagecache.conftest import Server

pytestmark = pytest.mark.django_db


def _html_tag(text: str) -> str:
    return re.search(r"<html[^>]*>", text).group(0)  # type: ignore[union-attr]


def _article_tag(text: str) -> str:
    return re.search(r"<article class=\"article\"[^>]*>", text).group(0)  # type: ignore[union-attr]


def test_page_says_the_site_language_and_an_article_in_another_says_its_own(
    client: Client, translated: tuple[Article, Article]
) -> None:
    original, spanish = translated
    english_page = client.get(original.get_absolute_url()).content.decode()
    assert _html_tag(english_page) == '<html lang="en" dir="ltr">'
    assert "lang=" not in _article_tag(english_page)
    spanish_page = client.get(spanish.get_absolute_url()).content.decode()
    assert _html_tag(spanish_page) == '<html lang="en" dir="ltr">'
    assert 'lang="es" dir="ltr"' in _article_tag(spanish_page)


def test_an_arabic_article_reads_right_to_left(
    client: Client, make_article: Callable[..., Article]
) -> None:
    arabic = make_article("ما هو التشنج العضلي؟", slug="ma-huwa", language="ar")
    page = client.get(arabic.get_absolute_url()).content.decode()
    assert 'lang="ar" dir="rtl"' in _article_tag(page)


def test_site_in_arabic_draws_every_page_right_to_left(
    client: Client, settings: object, article: Article
) -> None:
    settings.LANGUAGE_CODE = "ar"  # type: ignore[attr-defined]
    settings.LANGUAGES = [("ar", "العربية")]  # type: ignore[attr-defined]
    page = client.get("/").content.decode()
    assert _html_tag(page) == '<html lang="ar" dir="rtl">'
    # An English article on the Arabic site says so, and reads left to right.
    assert 'lang="en" dir="ltr"' in _article_tag(
        client.get(article.get_absolute_url()).content.decode()
    )


def test_posts_take_the_direction_of_their_own_words(client: Client, article: Article) -> None:
    from django.utils import timezone

    from knowhow.discussion.models import Post

    Post.objects.create(
        article=article, number=1, body="مرحبا", body_html="<p>مرحبا</p>", created_at=timezone.now()
    )
    page = client.get(article.get_absolute_url()).content.decode()
    assert '<div class="post-body" dir="auto"><p>مرحبا</p></div>' in page


def test_article_offers_its_translations_in_their_own_language_names(
    client: Client, translated: tuple[Article, Article]
) -> None:
    original, spanish = translated
    page = client.get(original.get_absolute_url()).content.decode()
    assert (
        f'Read in: <a href="{spanish.get_absolute_url()}" hreflang="es" lang="es" dir="ltr">'
        "Español</a>"
    ) in page
    back = client.get(spanish.get_absolute_url()).content.decode()
    assert (
        f'<a href="{original.get_absolute_url()}" hreflang="en" lang="en" dir="ltr">English' in back
    )


def test_head_names_every_language_version_and_the_original_as_default(
    client: Client, translated: tuple[Article, Article]
) -> None:
    original, spanish = translated
    for article in translated:
        page = client.get(article.get_absolute_url()).content.decode()
        links = dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page))
        assert links == {
            "en": "http://testserver" + original.get_absolute_url(),
            "es": "http://testserver" + spanish.get_absolute_url(),
            "x-default": "http://testserver" + original.get_absolute_url(),
        }


def test_article_without_translations_offers_none(client: Client, article: Article) -> None:
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Read in:" not in page and "hreflang=" not in page


def test_unpublished_translation_is_offered_nowhere(
    client: Client, translated: tuple[Article, Article]
) -> None:
    original, spanish = translated
    Article.objects.filter(pk=spanish.pk).update(status=Article.Status.DRAFT)
    page = client.get(original.get_absolute_url()).content.decode()
    assert "Read in:" not in page and spanish.get_absolute_url() not in page


def test_publishing_a_translation_changes_the_originals_kept_page(
    server: Server, translated: tuple[Article, Article], editor_account: User
) -> None:
    original, spanish = translated
    for article in translated:
        services.record_import(article)
    services.unpublish(article=spanish, by=editor_account)
    assert "Read in:" not in server.request(original.get_absolute_url()).text
    assert server.request(original.get_absolute_url()).cache == "HIT"
    spanish.refresh_from_db()
    services.publish(article=spanish, by=editor_account)
    again = server.request(original.get_absolute_url())
    assert again.cache == "MISS" and "Español</a>" in again.text
    # ... and the other way round: the original going away leaves the translation's page.
    assert "English</a>" in server.request(spanish.get_absolute_url()).text
    assert server.request(spanish.get_absolute_url()).cache == "HIT"
    original.refresh_from_db()
    services.unpublish(article=original, by=editor_account)
    after = server.request(spanish.get_absolute_url())
    assert after.cache == "MISS" and "Read in:" not in after.text


def test_sitemap_names_each_articles_language_versions(
    client: Client, translated: tuple[Article, Article], make_article: Callable[..., Article]
) -> None:
    original, spanish = translated
    alone = make_article("What is a Stitch?", slug="stitch")
    xml = client.get("/sitemap-articles.xml").content.decode()
    entries = dict(re.findall(r"<loc>([^<]+)</loc>(.*?)</url>", xml, re.S))
    base = "http://testserver"
    expected = {
        ("en", base + original.get_absolute_url()),
        ("es", base + spanish.get_absolute_url()),
        ("x-default", base + original.get_absolute_url()),
    }
    for article in translated:
        links = set(
            re.findall(
                r'hreflang="([^"]+)" href="([^"]+)"', entries[base + article.get_absolute_url()]
            )
        )
        assert links == expected
    assert "hreflang" not in entries[base + alone.get_absolute_url()]
