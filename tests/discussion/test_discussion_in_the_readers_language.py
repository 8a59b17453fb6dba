"""A reader who chose Spanish or Arabic reads the discussion's words, its refusals and its
headings in that language, and loses nothing they typed."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import translation

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from tests.conftest import form_data
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

TEXT = "Me despierto con calambres en la pantorrilla casi todas las noches."


def _reader_in(language: str) -> Client:
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_a_refused_post_says_why_in_spanish_and_keeps_the_text(
    several_languages: None, article: Article
) -> None:
    client = _reader_in("es")
    response = client.post(f"{article.get_absolute_url()}posts/", form_data(article, TEXT, age=0.5))
    assert response.status_code == 400
    html = response.content.decode()
    assert '<html lang="es"' in html
    text = visible_text(html)
    # The wait, said with the Spanish decimal comma (the request itself takes a moment).
    said = re.search(
        r"Fue más rápido de lo que nadie lee: este mensaje se envió (\d+),(\d) segundos después "
        r"de cargar la página\. Espera (\d) segundos? y envíalo de nuevo, por favor; tu texto "
        r"sigue aquí\.",
        text,
    )
    assert said, "the refusal says, in Spanish, how long to wait"
    assert 1 <= int(said.group(3)) <= 3
    assert "Publica tus comentarios" in text and "Tu comentario" in text
    assert re.search(f">\n?{re.escape(TEXT)}</textarea>", html), "the text typed is shown again"
    assert not Post.objects.exists()


def test_an_empty_post_is_refused_in_spanish(several_languages: None, article: Article) -> None:
    response = _reader_in("es").post(f"{article.get_absolute_url()}posts/", form_data(article, " "))
    assert response.status_code == 400
    assert "Escribe algo antes de publicar, por favor." in visible_text(response.content)


def test_arabic_post_headings_keep_names_and_numbers_in_order(
    several_languages: None, article: Article, reader: Any
) -> None:
    post_comment(article=article, body="Stretching helps.", author=reader)
    html = _reader_in("ar").get(article.get_absolute_url()).content.decode()
    assert '<html lang="ar" dir="rtl"' in html
    heading = re.search(r'<h3 id="post-1-heading">(.*?)</h3>', html, re.S)
    assert heading is not None
    assert heading.group(1).strip() == (
        '<a href="#post-1">المشاركة <bdi>1</bdi></a><span class="by">، بقلم '
        '<bdi><a href="/readers/reader/">reader</a></bdi></span>'
    )
    assert '<div class="post-body" dir="auto">' in html
    assert "ناقش هذه المقالة" in visible_text(html)


def test_arabic_digits_number_the_posts_and_their_links_still_lead_there(
    several_languages: None, article: Article, reader: Any, settings: Any
) -> None:
    settings.DIGITS = "arabic-indic"
    first = post_comment(article=article, body="Stretching helps.", author=reader)
    post_comment(article=article, body="It does.", author=reader, reply_to=first.number)
    html = _reader_in("ar").get(article.get_absolute_url()).content.decode()
    heading = re.search(r'<h3 id="post-2-heading">(.*?)</h3>', html, re.S)
    assert heading is not None
    assert '<a href="#post-2">المشاركة <bdi>٢</bdi></a>' in heading.group(1)
    reply = re.search(r'<p class="in-reply-to">(.*?)</p>', html, re.S)
    assert reply is not None and "<bdi>١</bdi>" in reply.group(1), html
    assert 'id="post-1"' in html
    # Other languages keep their digits (Latin digits by default: the test above).
    spanish = _reader_in("es").get(article.get_absolute_url()).content.decode()
    assert "<bdi>2</bdi></a>" in spanish and "٢" not in spanish


def test_the_heading_names_the_author_and_the_meta_line_gives_the_date(
    client: Client, article: Article, reader: Any
) -> None:
    post_comment(article=article, body="Signed.", author=reader)
    html = client.get(article.get_absolute_url()).content.decode()
    meta = re.search(r'<article class="post" id="post-1".*?<p class="meta">(.*?)</p>', html, re.S)
    assert meta is not None
    assert "reader" not in visible_text(meta.group(1))
    assert re.fullmatch(r"\d{1,2} \w+ \d{4}", visible_text(meta.group(1)))


def test_the_too_fast_wait_is_worked_out_once_for_posts_and_questions() -> None:
    from knowhow.antiabuse import reasons

    with translation.override("en"):
        post = reasons.too_fast(age=1.25, least=3)
        question = reasons.too_fast(age=1.25, least=3, thing="question")
    assert "this post was sent 1.2 seconds" in post or "this post was sent 1.3 seconds" in post
    assert "Please wait 2 seconds, then send it again; your text is still here." in post
    assert "Please wait 2 seconds, then send it again; your question is still here." in question
    assert reasons.too_fast_wait(age=2.5, least=3) == 1
