"""What the article page, its print view and the reviewer's page say about an expert review
and the article's sources: only a review that really happened is ever claimed."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import (
    REVIEW_HAPPENED,
    REVIEW_IN_FUTURE,
    REVIEW_INCOMPLETE,
    Article,
    Person,
    Topic,
    months_after,
    validate_review,
)
from knowhow.articles.reviews import review_queue
from knowhow.newsroom.forms import ArticleForm
from knowhow.pages import depends
from tests.pagecache.conftest import Clock, Server
from tests.pages import assert_in_order, visible_text

TODAY = dt.datetime(2026, 11, 27, 12, tzinfo=dt.UTC)
REVIEW_CLAIMS = ("Reviewed By", "Last reviewed", "Next review due")


@pytest.fixture
def doctor(db: None) -> Person:
    return Person.objects.create(name="Dr Nadia Ferreira", slug="nadia-ferreira")


@pytest.fixture
def cadence(topic: Topic) -> Topic:
    topic.review_months = 12
    topic.health = True
    topic.save()
    return topic


def _publish_with_review(
    editor_account: User, topic: Topic, doctor: Person | None, reviewed_on: str = "", **fields: str
) -> Article:
    """A new article taken through the newsroom's workflow and published."""
    article = workflow.create_article(
        by=editor_account,
        title="What is a Stitch?",
        topic=topic,
        body="A stitch is a sharp pain under the ribs during exercise. [[1]](#source-1)",
        reviewed_by=doctor,
        reviewed_on=dt.date.fromisoformat(reviewed_on) if reviewed_on else None,
        **fields,
    )
    workflow.publish(article=article, by=editor_account)
    article.refresh_from_db()
    return article


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


@time_machine.travel(TODAY, tick=False)
def test_a_reviewed_article_names_its_reviewer_the_review_date_and_when_the_next_is_due(
    editor_account: User, cadence: Topic, doctor: Person, client: Client
) -> None:
    article = _publish_with_review(editor_account, cadence, doctor, "2026-03-02")
    html = _page(client, article.get_absolute_url())
    text = visible_text(html)
    assert "Reviewed By: Dr Nadia Ferreira" in text
    assert "Last reviewed: 2 March 2026" in text
    assert "Next review due: 2 March 2027" in text
    assert '<a href="/people/nadia-ferreira/">Dr Nadia Ferreira</a>' in html
    assert '<time datetime="2026-03-02">' in html
    assert_in_order(
        text, ["Written By", "Reviewed By", "Last reviewed", "Next review due", "Last Modified"]
    )


@time_machine.travel(TODAY, tick=False)
def test_without_a_cadence_the_review_is_shown_but_no_next_date(
    editor_account: User, topic: Topic, doctor: Person, client: Client
) -> None:
    article = _publish_with_review(editor_account, topic, doctor, "2026-03-02")
    text = visible_text(_page(client, article.get_absolute_url()))
    assert "Reviewed By: Dr Nadia Ferreira" in text and "Last reviewed: 2 March 2026" in text
    assert "Next review due" not in text


@time_machine.travel(TODAY, tick=False)
def test_an_article_never_reviewed_claims_no_review_even_with_a_cadence(
    editor_account: User, cadence: Topic, client: Client
) -> None:
    article = _publish_with_review(editor_account, cadence, None)
    for url in (article.get_absolute_url(), article.get_print_url()):
        text = visible_text(_page(client, url))
        assert "Written By" in text
        assert not [claim for claim in REVIEW_CLAIMS if claim in text]


@pytest.mark.parametrize(
    "fields",
    [
        {"reviewed_on": dt.date(2026, 3, 2)},  # a date, but nobody who reviewed
        {"reviewed_by": "doctor"},  # a reviewer, but no date it happened
    ],
    ids=["date-only", "reviewer-only"],
)
def test_half_a_review_written_straight_into_the_row_is_never_claimed(
    fields: dict[str, object],
    make_article: Callable[..., Article],
    cadence: Topic,
    doctor: Person,
    client: Client,
) -> None:
    # The workflow refuses half a review; an import or the admin could still write one.
    values = {k: doctor if v == "doctor" else v for k, v in fields.items()}
    article = make_article("What is a Stitch?", topic=cadence, **values)
    assert article.review is None and article.review_due is None
    for url in (article.get_absolute_url(), article.get_print_url()):
        html = _page(client, url)
        assert not [claim for claim in REVIEW_CLAIMS if claim in visible_text(html)]
        assert "Nadia" not in html
    assert "lastReviewed" not in _page(client, article.get_absolute_url())
    # Nor does the would-be reviewer's page list it.
    assert article.title not in _page(client, doctor.get_absolute_url())


@time_machine.travel(TODAY, tick=False)
def test_the_print_view_shows_the_review_and_the_sources(
    editor_account: User, cadence: Topic, doctor: Person, client: Client
) -> None:
    article = _publish_with_review(
        editor_account, cadence, doctor, "2026-03-02",
        sources="Sports Medicine Review, *Exercise-related pain*, 2019",
    )  # fmt: skip
    text = visible_text(_page(client, article.get_print_url()))
    assert "Reviewed By Dr Nadia Ferreira" in text
    assert "Last reviewed 2 March 2026" in text and "Next review due 2 March 2027" in text
    assert_in_order(text, ["sharp pain under the ribs", "Sources", "Exercise-related pain"])


@time_machine.travel(TODAY, tick=False)
def test_sources_are_numbered_under_their_heading_after_the_body_and_cited_from_it(
    editor_account: User, topic: Topic, client: Client
) -> None:
    article = _publish_with_review(
        editor_account, topic, None,
        sources="1. Runners' Health Survey, 2021\n- [Stitch study](https://example.org/stitch)\n"
        "<script>alert(1)</script>Unsafe source",
    )  # fmt: skip
    html = _page(client, article.get_absolute_url())
    text = visible_text(html)
    assert_in_order(
        text,
        ["sharp pain under the ribs", "Sources", "Runners' Health Survey, 2021", "Stitch study",
         "Unsafe source", "Discuss this Article"],
    )  # fmt: skip
    section = re.search(r'<section class="article-sources".*?</section>', html, re.S)
    assert section is not None
    assert '<h2 id="sources-heading">Sources</h2>' in section.group(0)
    items = re.findall(r'<li id="source-(\d+)">', section.group(0))
    assert items == ["1", "2", "3"]
    # The body's citation jumps to the first source.
    assert '<a href="#source-1"' in html and 'id="source-1"' in html
    assert "<script>alert" not in html


def test_an_article_without_sources_has_no_sources_heading(
    article: Article, client: Client
) -> None:
    html = _page(client, article.get_absolute_url())
    assert "sources-heading" not in html and "Sources" not in visible_text(html)


@time_machine.travel(TODAY, tick=False)
def test_the_reviewers_page_lists_the_articles_they_reviewed(
    editor_account: User, cadence: Topic, doctor: Person, client: Client
) -> None:
    article = _publish_with_review(editor_account, cadence, doctor, "2026-03-02")
    text = visible_text(_page(client, doctor.get_absolute_url()))
    assert "What is a Stitch?" in text
    assert "Reviewed 2 March 2026" in text
    assert "No published articles yet" not in text
    # The writer's page says they wrote it, not that they reviewed it.
    writer_text = visible_text(_page(client, article.written_by.get_absolute_url()))
    assert "What is a Stitch? Written" in writer_text and "Reviewed" not in writer_text


@pytest.mark.django_db(transaction=True)
def test_publishing_a_review_shows_on_the_next_request_of_a_cached_page(
    editor_account: User, cadence: Topic, doctor: Person
) -> None:
    server = Server(Clock())
    with time_machine.travel(TODAY - dt.timedelta(days=20), tick=False):
        article = _publish_with_review(editor_account, cadence, None)
    urls = [article.get_absolute_url(), article.get_print_url(), doctor.get_absolute_url()]
    for url in urls:
        server.request(url)
        assert server.request(url).cache == "HIT"
    assert "Reviewed By" not in server.request(urls[0]).text
    with time_machine.travel(TODAY, tick=False):
        workflow.save_revision(
            article=article, by=editor_account, base=article.latest_revision.number,  # type: ignore[union-attr]
            content={"reviewed_by": doctor.pk, "reviewed_on": "2026-11-27"},
            note="Reviewed by Dr Ferreira.", minor=True,
        )  # fmt: skip
    # Saved but not yet published: readers still see no review.
    assert "Reviewed By" not in visible_text(server.request(urls[0]).text)
    with time_machine.travel(TODAY, tick=False):
        workflow.publish(article=article, by=editor_account)
    page = visible_text(server.request(urls[0]).text)
    assert "Reviewed By: Dr Nadia Ferreira" in page and "Next review due: 27 November 2027" in page
    assert "Reviewed By Dr Nadia Ferreira" in visible_text(server.request(urls[1]).text)
    assert "What is a Stitch?" in server.request(urls[2]).text
    # Renaming the reviewer changes the article's page too.
    doctor.name = "Dr Nadia Ferreira-Lopes"
    doctor.save()
    assert "Reviewed By: Dr Nadia Ferreira-Lopes" in visible_text(server.request(urls[0]).text)
    assert '"name": "Dr Nadia Ferreira-Lopes"' in server.request(urls[0]).text
    # So does a new cadence for the topic.
    cadence.review_months = 6
    cadence.save()
    assert "Next review due: 27 May 2027" in visible_text(server.request(urls[0]).text)


@pytest.mark.parametrize(
    ("day", "months", "due"),
    [
        ("2026-03-02", 12, "2027-03-02"),
        ("2025-08-31", 6, "2026-02-28"),  # February is shorter
        ("2027-08-31", 6, "2028-02-29"),  # a leap year's February
        ("2026-01-31", 1, "2026-02-28"),
        ("2026-11-15", 3, "2027-02-15"),  # across the year's end
        ("2026-12-31", 24, "2028-12-31"),
    ],
)
def test_the_next_review_is_due_the_same_day_months_later_or_the_months_last(
    day: str, months: int, due: str
) -> None:
    assert months_after(dt.date.fromisoformat(day), months) == dt.date.fromisoformat(due)


@pytest.mark.parametrize(
    ("with_reviewer", "reviewed_on", "happened"),
    [
        (True, dt.date(2026, 3, 2), True),
        (True, None, False),
        (False, dt.date(2026, 3, 2), False),
        (False, None, False),
    ],  # fmt: skip
    ids=["both", "reviewer-only", "date-only", "neither"],
)
def test_whether_a_review_happened_is_one_answer_everywhere(
    with_reviewer: bool,
    reviewed_on: dt.date | None,
    happened: bool,
    make_article: Callable[..., Article],
    cadence: Topic,
    doctor: Person,
) -> None:
    article = make_article(
        "What is a Stitch?",
        topic=cadence,
        reviewed_by=doctor if with_reviewer else None,
        reviewed_on=reviewed_on,
    )
    assert article.has_review == (article.review is not None) == happened
    assert Article.objects.filter(REVIEW_HAPPENED, pk=article.pk).exists() == happened
    assert (article.review_due is not None) == happened
    queue = review_queue(today=dt.date(2026, 3, 3), soon_days=30)
    assert (article.pk not in queue.never_reviewed) == happened
    assert (f"person-{doctor.pk}" in depends.of_article(article)) == happened


@pytest.mark.parametrize(
    ("reviewer", "reviewed_on", "code"),
    [
        ("Dr X", dt.date(2999, 1, 1), REVIEW_IN_FUTURE),
        ("Dr X", None, REVIEW_INCOMPLETE),
        ("", dt.date(2020, 1, 1), REVIEW_INCOMPLETE),
        ("Dr X", dt.date(2020, 1, 1), ""),
        ("", None, ""),
    ],  # fmt: skip
)
def test_one_validator_refuses_half_a_review_and_one_ahead_of_today(
    reviewer: str, reviewed_on: dt.date | None, code: str, doctor: Person, topic: Topic
) -> None:
    try:
        validate_review(reviewer, reviewed_on)
    except ValidationError as refused:
        assert refused.code == code
    else:
        assert code == ""
    # The newsroom's services and its editor form refuse by the same validator.
    content = {"title": "Why?", "topic": topic.pk, "reviewed_by": doctor.pk if reviewer else None,
               "reviewed_on": reviewed_on.isoformat() if reviewed_on else None}  # fmt: skip
    try:
        workflow._check_content(content)
    except workflow.NotAllowed as refused:
        assert refused.code == code
    else:
        assert code == ""
    form = ArticleForm(
        {
            "title": "Why?",
            "topic": topic.pk,
            "body": "Words.",
            "base": 1,
            "reviewed_by": doctor.name if reviewer else "",
            "reviewed_on": reviewed_on.isoformat() if reviewed_on else "",
        }  # fmt: skip
    )
    assert form.is_valid() == (code == ""), form.errors
