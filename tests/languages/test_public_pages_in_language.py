"""A reader who chooses Spanish or Arabic gets the home and article pages' words, dates and
numbers in that language (Arabic right to left, in the operator's digits), and the page
cache never mixes one language's words into another's page."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from knowhow import dates, numbers
from knowhow.articles.models import Article
from tests.pagecache.conftest import Server


def _lang(text: str) -> tuple[str, str]:
    found = re.search(r'<html lang="([^"]+)" dir="([^"]+)">', text)
    assert found is not None
    return found.group(1), found.group(2)


ENGLISH = ["Recent articles", "Skip to content", "Article Details", "Print this Article"]


def test_home_and_article_chrome_follow_the_chosen_language(
    multilingual_server: Server, article: Article
) -> None:
    server = multilingual_server
    for url in ("/", article.get_absolute_url()):
        spanish = server.request(url, headers={"Accept-Language": "es"}).text
        assert _lang(spanish) == ("es", "ltr")
        assert "Saltar al contenido" in spanish and "Buscar artículos" in spanish
        arabic = server.request(url, headers={"Accept-Language": "ar"}).text
        assert _lang(arabic) == ("ar", "rtl")
        assert "انتقل إلى المحتوى" in arabic and "ابحث في المقالات" in arabic
        english = server.request(url, headers={"Accept-Language": "en"}).text
        assert "Skip to content" in english
        for page in (spanish, arabic):
            assert not [words for words in ENGLISH if words in page], url
    # The kept copies too, asked again from memory.
    page = server.request(article.get_absolute_url(), headers={"Accept-Language": "es"})
    assert page.cache == "HIT"
    assert "Datos del artículo" in page.text and "17 de mayo de 2024" in page.text
    kept = server.request(article.get_absolute_url(), headers={"Accept-Language": "ar"})
    assert kept.cache == "HIT"
    assert "تفاصيل المقال" in kept.text and "مايو" in kept.text
    assert "Datos del artículo" not in kept.text and "Article Details" not in kept.text


def test_dates_follow_the_language(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"
    day = dt.date(1941, 12, 7)
    assert dates.long_date(day) == "7 December 1941"
    with translation.override("es"):
        assert dates.long_date(day) == "7 de diciembre de 1941"
        assert dates.long_date(day, "day") == "7 de diciembre"
    with translation.override("ar"):
        assert dates.long_date(day) == "7 ديسمبر، 1941"


def test_arabic_digits_are_the_operators_choice(settings: Any) -> None:
    settings.DIGITS = "arabic-indic"
    day = dt.date(1941, 12, 7)
    with translation.override("ar"):
        assert dates.long_date(day) == "٧ ديسمبر، ١٩٤١"
        assert numbers.number(1234) == "١٢٣٤"
        assert dates.link_lifetime() == "٣ ساعات"
    # Other languages keep their digits whatever the setting.
    with translation.override("es"):
        assert dates.long_date(day) == "7 de diciembre de 1941"
    assert numbers.number(1234) == "1,234"


@pytest.mark.django_db
def test_error_pages_and_the_widget_frame_say_the_language(settings: Any) -> None:
    settings.LANGUAGE_CODE = "ar"
    settings.LANGUAGES = [("ar", "العربيّة")]
    with translation.override("ar"):
        page = render_to_string("500.html")
        widget = render_to_string("widgets/frame.html", {"problem": "x", "site": {}})
        away = render_to_string("503.html", {"site_name": "Knowhow", "retry_after": 30})
    assert '<html lang="ar" dir="rtl">' in page and "حدث خطأ ما" in page
    assert '<html lang="ar" dir="rtl">' in widget
    assert '<html lang="ar" dir="rtl">' in away and "نعود بعد لحظات" in away
    with translation.override("es"):
        away = render_to_string("503.html", {"site_name": "Knowhow", "retry_after": 30})
    assert '<html lang="es" dir="ltr">' in away and "dentro de 30 segundos" in away
