"""Reads for the moderators' pages: the queue, bans, the blocklist, the log, daily activity.

Each list is paged and runs a fixed number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Min, Prefetch, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.discussion.models import Post
from knowhow.moderation.models import Flag, ModerationAction

PAGE_SIZE = 50
Action = ModerationAction.Action


def moderated_posts() -> QuerySet[Post]:
    """Posts with what every moderation page shows of them, open reports included
    (as `open_flags`, oldest first)."""
    open_flags = Flag.objects.filter(resolved_at__isnull=True).select_related("reporter")
    return Post.objects.select_related("article", "author").prefetch_related(
        Prefetch("flags", queryset=open_flags.order_by("created_at"), to_attr="open_flags")
    )


def held_posts(page: str | int | None) -> Page[Post]:
    """Posts awaiting a moderator, oldest first: they have waited longest."""
    posts = moderated_posts().filter(status=Post.Status.HELD).order_by("created_at", "pk")
    return Paginator(posts, PAGE_SIZE).get_page(page)


def reported_posts(page: str | int | None) -> Page[Post]:
    """Published posts with open reports, the longest-reported first."""
    posts: QuerySet[Post] = (
        moderated_posts()
        .filter(status=Post.Status.PUBLISHED)
        .annotate(first_report=Min("flags__created_at", filter=Q(flags__resolved_at__isnull=True)))
        .filter(first_report__isnull=False)
        .order_by("first_report", "pk")
    )
    return Paginator(posts, PAGE_SIZE).get_page(page)


def active_bans(page: str | int | None) -> Page[Ban]:
    bans = Ban.objects.active().select_related("user", "created_by", "source_post__article")
    return Paginator(bans.order_by("-created_at", "-pk"), PAGE_SIZE).get_page(page)


def taken_down_with(ban: Ban) -> int:
    """How many posts were removed or rejected together with this ban."""
    return ModerationAction.objects.filter(
        ban=ban, action__in=(Action.REMOVE, Action.REJECT)
    ).count()


def blocked_terms(page: str | int | None) -> Page[BlockedTerm]:
    return Paginator(BlockedTerm.objects.order_by("kind", "value"), PAGE_SIZE).get_page(page)


def log_entries(page: str | int | None) -> Page[ModerationAction]:
    """The audit log, newest first."""
    entries = ModerationAction.objects.select_related(
        "actor", "post__article", "ban__user", "ban__source_post__article"
    ).order_by("-created_at", "-pk")
    return Paginator(entries, PAGE_SIZE).get_page(page)


@dataclass(frozen=True)
class DayCounts:
    day: dt.date
    posts: int
    held: int
    approved: int
    rejected: int


@dataclass(frozen=True)
class Activity:
    """Posts and moderators' decisions per day, oldest day first."""

    days: list[DayCounts]

    def series(self, name: str) -> list[int]:
        return [getattr(day, name) for day in self.days]

    def total(self, name: str) -> int:
        return sum(self.series(name))


HELD_ACTIONS = (Action.AUTO_HOLD, Action.FLAG_HOLD)
REJECTED_ACTIONS = (Action.REJECT, Action.SPAM)


def daily_activity(days: int = 30, today: dt.date | None = None) -> Activity:
    """The last `days` days up to today, in the site's time zone; two queries."""
    today = today or timezone.localdate()
    first = today - dt.timedelta(days=days - 1)
    since = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
    until = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=1), dt.time.min))
    window = Q(created_at__gte=since, created_at__lt=until)
    # order_by() drops the models' default ordering, which would split the groups.
    posts = {
        row["day"]: row["n"]
        for row in Post.objects.filter(window)
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values("day")
        .annotate(n=Count("pk"))
    }
    decided: dict[tuple[dt.date, str], int] = {}
    rows = (
        ModerationAction.objects.filter(
            window, action__in=[*HELD_ACTIONS, Action.APPROVE, *REJECTED_ACTIONS]
        )
        .annotate(day=TruncDate("created_at"))
        .order_by()
        .values("day", "action")
        .annotate(n=Count("pk"))
    )
    for row in rows:
        decided[(row["day"], row["action"])] = row["n"]

    def count(day: dt.date, actions: tuple[str, ...]) -> int:
        return sum(decided.get((day, action), 0) for action in actions)

    dates = [first + dt.timedelta(days=i) for i in range(days)]
    return Activity(
        [
            DayCounts(
                day=day,
                posts=posts.get(day, 0),
                held=count(day, HELD_ACTIONS),
                approved=count(day, (Action.APPROVE,)),
                rejected=count(day, REJECTED_ACTIONS),
            )
            for day in dates
        ]
    )
