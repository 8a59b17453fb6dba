"""Review cadence: when an article's next expert review is due, and which articles need one.

A topic with `review_months` gives its articles a cadence: the next review is due that
many months after the last one recorded. An article of such a topic with no recorded
review is "never reviewed": it gets no due date, as none can be claimed for it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from django.db.models import QuerySet
from django.utils import timezone

from knowhow.articles.models import Article, review_due_on


class ReviewState(StrEnum):
    OVERDUE = "overdue"
    DUE_SOON = "soon"
    NEVER_REVIEWED = "never"
    CURRENT = "current"


def review_state(due: dt.date | None, *, today: dt.date, soon_days: int) -> ReviewState:
    """Where an article with a cadence stands: a review due before today is overdue; one
    due today or within `soon_days` is due soon."""
    if due is None:
        return ReviewState.NEVER_REVIEWED
    if due < today:
        return ReviewState.OVERDUE
    if due <= today + dt.timedelta(days=soon_days):
        return ReviewState.DUE_SOON
    return ReviewState.CURRENT


@dataclass(frozen=True)
class ReviewQueue:
    """Ids of the articles needing a review, each list in the order to work through it:
    overdue and due soon by due date (the earliest first), never reviewed oldest first."""

    overdue: list[int]
    due_soon: list[int]
    never_reviewed: list[int]


def _under_cadence() -> QuerySet[Article]:
    """Articles readers see or will see, of a topic with a review cadence."""
    return Article.objects.filter(
        topic__review_months__isnull=False,
        topic__review_months__gt=0,
        status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED],
    )


def review_queue(*, today: dt.date, soon_days: int) -> ReviewQueue:
    """The articles whose review is overdue, due within `soon_days`, or never happened.

    One query of three small columns per article: the due date depends on each topic's
    cadence in months, which databases count differently, so it is worked out here.
    """
    rows = _under_cadence().values_list("pk", "reviewed_by_id", "reviewed_on",
                                        "topic__review_months", "published_at")  # fmt: skip
    lists: dict[ReviewState, list[tuple[dt.date, int]]] = {state: [] for state in ReviewState}
    for pk, reviewer, reviewed_on, months, published_at in rows:
        due = review_due_on(reviewer, reviewed_on, months)
        state = review_state(due, today=today, soon_days=soon_days)
        if due is None:
            due = timezone.localdate(published_at) if published_at else dt.date.max
        lists[state].append((due, pk))
    ordered = {state: [pk for _, pk in sorted(found)] for state, found in lists.items()}
    return ReviewQueue(
        overdue=ordered[ReviewState.OVERDUE],
        due_soon=ordered[ReviewState.DUE_SOON],
        never_reviewed=ordered[ReviewState.NEVER_REVIEWED],
    )


def articles_in_order(ids: list[int]) -> list[Article]:
    """These articles with their topic and reviewer, in the order given; one query."""
    found = Article.objects.select_related("topic", "reviewed_by").in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


@dataclass(frozen=True)
class ReviewRow:
    """One article on the review dashboard: its review (if any) and when the next is due."""

    article: Article
    due: dt.date | None
    # Days from today to the due date: negative once it has passed.
    days_left: int | None

    @property
    def days_overdue(self) -> int | None:
        return -self.days_left if self.days_left is not None else None


def review_rows(ids: list[int], *, today: dt.date) -> list[ReviewRow]:
    """The dashboard's rows for these articles, in the order given; one query."""
    rows = []
    for article in articles_in_order(ids):
        due = article.review_due
        rows.append(ReviewRow(article, due, (due - today).days if due else None))
    return rows
