"""The newsroom's review dashboard: articles of topics with a review cadence whose expert
review is overdue, due soon (KNOWHOW_REVIEW_SOON_DAYS), or never happened. Editors only."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_safe

from knowhow.articles import reviews
from knowhow.newsroom.access import editors_only

PAGE_SIZE = 25


@dataclass(frozen=True)
class ReviewList:
    """One section of the dashboard, paged on its own (?<key>=N)."""

    key: str
    heading: str
    help: str
    empty: str
    page: Page[int]
    rows: list[reviews.ReviewRow]


def _review_list(request: HttpRequest, key: str, ids: list[int], **text: str) -> ReviewList:
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get(key))
    rows = reviews.review_rows(list(page.object_list), today=timezone.localdate())
    return ReviewList(key=key, page=page, rows=rows, **text)


@editors_only("Only editors may see the review dashboard.")
@require_safe
def review_dashboard(request: HttpRequest) -> HttpResponse:
    soon = settings.REVIEW_SOON_DAYS
    queue = reviews.review_queue(today=timezone.localdate(), soon_days=soon)
    lists = [
        _review_list(
            request, "overdue", queue.overdue,
            heading="Overdue",
            help="The next review was due before today; the longest overdue come first.",
            empty="No review is overdue.",
        ),
        _review_list(
            request, "soon", queue.due_soon,
            heading="Due soon",
            help=f"The next review is due today or within {soon} days.",
            empty=f"No review falls due in the next {soon} days.",
        ),
        _review_list(
            request, "never", queue.never_reviewed,
            heading="Never reviewed",
            help="No expert review is recorded: readers are told of none. The longest "
            "published come first.",
            empty="Every article with a review cadence has been reviewed at least once.",
        ),
    ]  # fmt: skip
    context = {"section": "reviews", "lists": lists}
    return render(request, "newsroom/reviews.html", context)


urlpatterns: list[URLPattern] = [
    path("reviews/", review_dashboard, name="newsroom-reviews"),
]
