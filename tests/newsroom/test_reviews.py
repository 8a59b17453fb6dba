"""The editors' review dashboard: which articles' expert reviews are overdue, due soon or
never happened, on the right day, paged, and for editors alone."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article, Person, Topic
from tests import people
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

URL = "/newsroom/reviews/"
# A frozen "today"; with a 12-month cadence a review on this day last year is due today.
TODAY = dt.date(2026, 11, 27)
NOON = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)


@pytest.fixture
def cadence(db: None) -> Topic:
    return Topic.objects.create(name="Medicine", slug="medicine", health=True, review_months=12)


@pytest.fixture
def doctor(db: None) -> Person:
    return Person.objects.create(name="Dr Nadia Ferreira", slug="nadia-ferreira")


@pytest.fixture
def reviewed(
    make_article: Callable[..., Article], cadence: Topic, doctor: Person
) -> Callable[..., Article]:
    """A published article of the cadence topic, last reviewed on `on` (None: never)."""

    def make(title: str, on: dt.date | None, **fields: Any) -> Article:
        review = {"reviewed_by": doctor, "reviewed_on": on} if on else {}
        return make_article(title, topic=cadence, **{**review, **fields})

    return make


def _sections(html: str) -> dict[str, list[str]]:
    """The titles listed under each of the dashboard's lists."""
    found = {}
    for key in ("overdue", "soon", "never"):
        section = re.search(rf'<section id="{key}".*?</section>', html, re.S)
        assert section is not None, f"no {key} list"
        found[key] = re.findall(r'<a href="/newsroom/articles/\d+/edit/">([^<]+)</a>', section[0])
    return found


def _dashboard(client: Client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def editors_browser(editor_account: User) -> Client:
    return people.signed_in(editor_account)


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/newsroom/reviews/"


@pytest.mark.parametrize("who", ["outsider", "reader", "writer", "moderator"])
def test_anyone_but_an_editor_is_refused(who: str, writer_account: User) -> None:
    user = {
        "outsider": lambda: people.make_outsider(),
        "reader": lambda: people.make_reader(),
        "writer": lambda: writer_account,
        "moderator": lambda: people.make_moderator(),
    }[who]()
    response = people.signed_in(user).get(URL)
    assert response.status_code == 403
    assert "Only editors may see the review dashboard." in response.content.decode()


def test_an_inactive_editor_is_refused(editor_account: User) -> None:
    client = people.signed_in(editor_account)
    editor_account.is_active = False
    editor_account.save()
    assert client.get(URL).status_code == 302  # signed out: an inactive account has no session


@time_machine.travel(NOON, tick=False)
def test_due_and_overdue_turn_over_on_the_right_days(
    reviewed: Callable[..., Article],
    make_article: Callable[..., Article],
    doctor: Person,
    editors_browser: Client,
) -> None:
    reviewed("Due yesterday", dt.date(2025, 11, 26))
    reviewed("Due today", dt.date(2025, 11, 27))
    reviewed("Due in 30 days", dt.date(2025, 12, 27))
    reviewed("Due in 31 days", dt.date(2025, 12, 28))
    reviewed("Two years overdue", dt.date(2024, 11, 1))
    reviewed("Never looked at", None)
    reviewed("Unpublished and never reviewed", None, status=Article.Status.DRAFT)
    # A topic without a cadence has no review due, whatever its articles' dates.
    make_article("No cadence", reviewed_by=doctor, reviewed_on=dt.date(2020, 1, 1))
    html = _dashboard(editors_browser)
    assert _sections(html) == {
        "overdue": ["Two years overdue", "Due yesterday"],
        "soon": ["Due today", "Due in 30 days"],
        "never": ["Never looked at"],
    }
    text = visible_text(html)
    assert "Overdue (2)" in text and "Due soon (2)" in text and "Never reviewed (1)" in text
    assert (
        "Last reviewed 26 November 2025 by Dr Nadia Ferreira · was due 26 November 2026 (1 day ago)"
        in text
    )
    assert "due today" in text
    assert "due 27 December 2026 (in 30 days)" in text
    assert "Never reviewed · " in text


def test_the_next_day_moves_an_article_from_due_soon_to_overdue(
    reviewed: Callable[..., Article], editors_browser: Client
) -> None:
    reviewed("Due today", dt.date(2025, 11, 27))
    with time_machine.travel(NOON, tick=False):
        assert _sections(_dashboard(editors_browser))["soon"] == ["Due today"]
    with time_machine.travel(NOON + dt.timedelta(days=1), tick=False):
        found = _sections(_dashboard(editors_browser))
    assert found["overdue"] == ["Due today"] and found["soon"] == []


@time_machine.travel(NOON, tick=False)
def test_due_soon_reaches_as_far_as_the_setting_says(
    reviewed: Callable[..., Article], editors_browser: Client, settings: Any
) -> None:
    settings.REVIEW_SOON_DAYS = 7
    reviewed("Due in 7 days", dt.date(2025, 12, 4))
    reviewed("Due in 8 days", dt.date(2025, 12, 5))
    html = _dashboard(editors_browser)
    assert _sections(html)["soon"] == ["Due in 7 days"]
    assert "within 7 days" in visible_text(html)


@time_machine.travel(NOON, tick=False)
def test_a_half_recorded_review_counts_as_never_reviewed(
    make_article: Callable[..., Article], cadence: Topic, editors_browser: Client
) -> None:
    make_article("Date but no reviewer", topic=cadence, reviewed_on=dt.date(2026, 6, 1))
    assert _sections(_dashboard(editors_browser))["never"] == ["Date but no reviewer"]


@time_machine.travel(NOON, tick=False)
def test_each_list_is_paged_on_its_own(
    reviewed: Callable[..., Article],
    editors_browser: Client,
    django_assert_max_num_queries: Any,
) -> None:
    for n in range(30):
        reviewed(f"Overdue {n:02}", dt.date(2024, 1, 1) + dt.timedelta(days=n))
    reviewed("Never looked at", None)
    with django_assert_max_num_queries(12):
        first = _dashboard(editors_browser)
    lists = _sections(first)
    assert lists["overdue"] == [f"Overdue {n:02}" for n in range(25)]
    assert lists["never"] == ["Never looked at"]
    assert 'href="?overdue=2#overdue"' in first
    second = _sections(_dashboard(editors_browser, "?overdue=2"))
    assert second["overdue"] == [f"Overdue {n:02}" for n in range(25, 30)]
    assert second["never"] == ["Never looked at"]


@time_machine.travel(NOON, tick=False)
def test_each_row_links_to_the_editor_page_and_the_public_page(
    reviewed: Callable[..., Article], editors_browser: Client
) -> None:
    article = reviewed("Due yesterday", dt.date(2025, 11, 26))
    html = _dashboard(editors_browser)
    assert f'href="/newsroom/articles/{article.pk}/edit/"' in html
    assert f'href="{article.get_absolute_url()}"' in html


@time_machine.travel(NOON, tick=False)
def test_a_scheduled_article_is_listed_and_marked(
    reviewed: Callable[..., Article], editors_browser: Client
) -> None:
    reviewed(
        "Coming next week",
        None,
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(days=7),
    )
    html = _dashboard(editors_browser)
    assert _sections(html)["never"] == ["Coming next week"]
    assert "scheduled" in visible_text(html)


def test_with_nothing_due_each_list_says_so(editors_browser: Client) -> None:
    text = visible_text(_dashboard(editors_browser))
    assert "No review is overdue." in text
    assert "No review falls due in the next 30 days." in text


def test_the_admin_sets_a_topics_review_cadence(cadence: Topic) -> None:
    admin = people.make_account("boss", is_staff=True, is_superuser=True)
    client = people.signed_in(admin)
    listing = client.get("/admin/articles/topic/").content.decode()
    assert "Review months" in listing
    assert re.search(r'<td class="field-review_months">12</td>', listing)
    form = client.get(f"/admin/articles/topic/{cadence.pk}/change/").content.decode()
    assert 'name="review_months"' in form
    response = client.post(
        f"/admin/articles/topic/{cadence.pk}/change/",
        {"name": cadence.name, "slug": cadence.slug, "description": "", "health": "on",
         "review_months": "6"},
    )  # fmt: skip
    assert response.status_code == 302
    cadence.refresh_from_db()
    assert cadence.review_months == 6


@time_machine.travel(NOON, tick=False)
def test_the_demo_shows_reviews_and_gives_the_dashboard_rows(
    editors_browser: Client, client: Client
) -> None:
    call_command("demo", verbosity=0)
    lists = _sections(_dashboard(editors_browser))
    assert lists["overdue"] == ["What are the Signs of Vitamin D Deficiency?"]
    assert lists["soon"] == ["Why do Muscles Cramp at Night?"]
    assert "What are Involuntary Muscle Spasms?" in lists["never"]
    page = client.get("/articles/why-do-muscles-cramp-at-night/").content.decode()
    text = visible_text(page)
    assert "Reviewed By: Dr Nadia Ferreira" in text
    assert "Last reviewed: 14 December 2025" in text
    assert "Next review due: 14 December 2026" in text
    assert '<a href="#source-1"' in page and '<li id="source-1">' in page
    # Loading the demo again records nothing new.
    article = Article.objects.get(slug="why-do-muscles-cramp-at-night")
    revisions = article.revisions.count()
    call_command("demo", verbosity=0)
    assert article.revisions.count() == revisions
