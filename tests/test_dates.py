"""One date style everywhere ("7 December 1941"), deadlines as clock times with a time
zone, and emailed links that say how many hours they last."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from knowhow import dates
from knowhow.articles.models import Article

SOURCE = Path(__file__).resolve().parents[1] / "src" / "knowhow"

# |date may write only what machines read: datetime="..." attributes.
MACHINE_FORMATS = {"c", "Y-m-d"}


def test_templates_write_dates_through_the_one_filter() -> None:
    wrong = []
    for template in [*SOURCE.rglob("*.html"), *SOURCE.rglob("*.txt")]:
        for fmt in re.findall(r"\|date:[\"']([^\"']*)[\"']", template.read_text()):
            if fmt not in MACHINE_FORMATS:
                wrong.append(f"{template.relative_to(SOURCE)}: |date:{fmt!r}")
        if "|time:" in template.read_text():
            wrong.append(f"{template.relative_to(SOURCE)}: |time")
    assert wrong == []


def test_python_writes_dates_for_people_through_the_one_module() -> None:
    # A month's name or a day without its zero, formatted by hand, is a second date style.
    hand_made = re.compile(r"%-d|%B|%b|\{[^}]*:%[^}]*%[HMdBb][^}]*\}")
    wrong = [
        str(module.relative_to(SOURCE))
        for module in SOURCE.rglob("*.py")
        if module.name != "dates.py"
        and "migrations" not in module.parts
        # ISO dates are for machines (a feed's tag URI, a form's date field).
        and hand_made.search(re.sub(r"%Y-%m-%d(T%H:%M)?", "", module.read_text()))
    ]
    assert wrong == []


def test_the_one_style(settings: Any) -> None:
    settings.TIME_ZONE = "UTC"
    moment = dt.datetime(1941, 12, 7, 5, 49, tzinfo=dt.UTC)
    assert dates.long_date(moment) == "7 December 1941"
    assert dates.clock_time(moment, with_date=True) == "7 December 1941, 05:49 UTC"
    today = timezone.now().replace(hour=5, minute=49)
    assert dates.clock_time(today) == "05:49 UTC"


def test_a_clock_time_names_the_sites_time_zone(settings: Any) -> None:
    settings.TIME_ZONE = "Europe/London"
    with timezone.override("Europe/London"):
        summer = dt.datetime(2026, 7, 1, 11, 0, tzinfo=dt.UTC)
        assert dates.clock_time(summer, with_date=True) == "1 July 2026, 12:00 BST"


@pytest.mark.django_db
def test_the_article_page_writes_its_dates_in_the_one_style(
    client: Client, article: Article
) -> None:
    html = client.get(article.get_absolute_url()).content.decode()
    shown = re.findall(r"<time datetime=\"[^\"]*\">([^<]*)</time>", html)
    assert shown and all(
        re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", text) for text in shown if "BCE" not in text
    ), shown


@pytest.mark.django_db
def test_reset_links_say_how_many_hours_they_last(
    client: Client, reader: Any, settings: Any, run_worker: Any
) -> None:
    settings.PASSWORD_RESET_TIMEOUT = 2 * 3600
    reader.email = "reader@example.com"
    reader.save()
    done = client.post("/accounts/password_reset/", {"email": "reader@example.com"}, follow=True)
    assert "expires in 2 hours" in done.content.decode()
    run_worker()  # the queue sends the email
    assert any("expires in 2 hours" in message.body for message in mail.outbox)
