"""did you know and on this day: what a reader sees, and the pages behind "more..."."""

from __future__ import annotations

import datetime as dt
from unittest import mock

from django.test import Client

from knowhow.articles.models import Article
from knowhow.facts.models import Event, Fact
from knowhow.facts.selectors import fact_for, on_this_day
from tests.pages import visible_text


def at(day: dt.date):  # type: ignore[no-untyped-def]
    moment = dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.UTC)
    return mock.patch("django.utils.timezone.now", return_value=moment)


def test_fact_changes_from_day_to_day(db: None) -> None:
    facts = [Fact.objects.create(text=f"Fact number {i}.") for i in range(5)]
    day = dt.date(2025, 1, 1)
    shown = [fact_for(day + dt.timedelta(days=n)) for n in range(5)]
    assert {fact.pk for fact in shown if fact} == {fact.pk for fact in facts}


def test_fact_more_link_opens_its_page_with_source_and_related(
    article: Article, client: Client
) -> None:
    fact = Fact.objects.create(text="Cramps are common at night.", source="A sleep survey")
    fact.related.add(article)
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'href="{fact.get_absolute_url()}" aria-label="More about this fact">more...</a>' in page
    text = visible_text(client.get(fact.get_absolute_url()).content)
    assert "Cramps are common at night." in text and "A sleep survey" in text
    assert article.title in text


def test_on_this_day_shows_todays_event_with_its_year(article: Article, client: Client) -> None:
    Event.objects.create(year=1977, month=9, day=18, text="A photo of Earth and Moon.")
    Event.objects.create(year=1850, month=9, day=19, text="The day after.")
    with at(dt.date(2030, 9, 18)):
        text = visible_text(client.get(article.get_absolute_url()).content)
    assert "18 September 1977: A photo of Earth and Moon. more..." in text
    assert "The day after." not in text


def test_no_event_today_says_so_and_shows_nearest_real_date(db: None, client: Client) -> None:
    Event.objects.create(year=1969, month=7, day=20, text="Moon landing.")
    Event.objects.create(year=1990, month=3, day=1, text="Far away.")
    with at(dt.date(2030, 7, 23)):
        text = visible_text(client.get("/").content)
    assert "Nothing on record for 23 July" in text
    assert "20 July 1969: Moon landing." in text


def test_nearest_event_wraps_round_the_new_year(db: None) -> None:
    Event.objects.create(year=1900, month=1, day=2, text="Early January.")
    Event.objects.create(year=1900, month=6, day=1, text="June.")
    shown = on_this_day(dt.date(2030, 12, 30))
    assert shown is not None and not shown.exact and shown.event.text == "Early January."


def test_day_page_lists_every_event_of_the_day_by_year(db: None, client: Client) -> None:
    Event.objects.create(year=1977, month=9, day=18, text="Later event.")
    Event.objects.create(year=1851, month=9, day=18, text="Earlier event.")
    Event.objects.create(year=1977, month=9, day=17, text="Other day.")
    text = visible_text(client.get("/on-this-day/9/18/").content)
    assert "On this day: 18 September" in text
    assert text.index("1851: Earlier event.") < text.index("1977: Later event.")
    assert "Other day." not in text
    assert "17 September" in text and "19 September" in text


def test_impossible_day_is_not_found(db: None, client: Client) -> None:
    assert client.get("/on-this-day/2/30/").status_code == 404
    assert client.get("/on-this-day/13/1/").status_code == 404
    assert client.get("/on-this-day/2/29/").status_code == 200
