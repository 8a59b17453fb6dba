"""Reads for the moderators' pages: the queue, bans, the blocklist, the log, daily activity.

Each list is paged and runs a fixed number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.antiabuse.reading import read_post
from knowhow.antiabuse.spam import Term, term_matches
from knowhow.discussion.models import Post
from knowhow.moderation import decisions
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


def _in_place(page: Page[Post], decided: dict[int, ModerationAction]) -> Page[Post]:
    """Mark the posts decided a moment ago (`post.decided`), shown in place with Undo."""
    page.object_list = list(page.object_list)
    for post in page.object_list:
        post.decided = decided.get(post.pk)  # type: ignore[attr-defined]
    return page


def _decided_from(decided: dict[int, ModerationAction], status: str) -> list[int]:
    return [pk for pk, row in decided.items() if row.previous_status == status]


def held_posts(
    page: str | int | None, decided: dict[int, ModerationAction] | None = None
) -> Page[Post]:
    """Posts awaiting a moderator, oldest first: they have waited longest; with `decided`,
    those of them just decided stay in place."""
    decided = decided or {}
    waiting = Q(status=Post.Status.HELD) | Q(pk__in=_decided_from(decided, Post.Status.HELD))
    posts = moderated_posts().filter(waiting).order_by("created_at", "pk")
    return _in_place(Paginator(posts, PAGE_SIZE).get_page(page), decided)


def reported_posts(
    page: str | int | None, decided: dict[int, ModerationAction] | None = None
) -> Page[Post]:
    """Published posts with open reports, the longest-reported first; with `decided`, those
    of them just decided stay in place."""
    decided = decided or {}
    just = _decided_from(decided, Post.Status.PUBLISHED)
    posts: QuerySet[Post] = (
        moderated_posts()
        .filter(Q(status=Post.Status.PUBLISHED) | Q(pk__in=just))
        .annotate(
            first_report=Coalesce(
                Min("flags__created_at", filter=Q(flags__resolved_at__isnull=True)),
                Min("flags__created_at", filter=Q(pk__in=just)),
            )
        )
        .filter(first_report__isnull=False)
        .order_by("first_report", "pk")
    )
    return _in_place(Paginator(posts, PAGE_SIZE).get_page(page), decided)


def still_held(page: Page[Post], decided: dict[int, ModerationAction]) -> int:
    """How many posts await a moderator: held_posts' count less those just decided."""
    return page.paginator.count - len(_decided_from(decided, Post.Status.HELD))


def still_reported() -> int:
    """How many published posts have open reports."""
    open_reports = Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)
    return Post.objects.filter(Exists(open_reports), status=Post.Status.PUBLISHED).count()


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


def _entries() -> QuerySet[ModerationAction]:
    return ModerationAction.objects.select_related(
        "actor",
        "post__article",
        "post__author",
        "ban__user",
        "ban__source_post__article",
        "undone_by__actor",
        "undoes",
    )


def log_entries(page: str | int | None) -> Page[ModerationAction]:
    """The audit log, newest first."""
    return Paginator(_entries().order_by("-created_at", "-pk"), PAGE_SIZE).get_page(page)


def log_entry(entry_id: int) -> ModerationAction | None:
    return _entries().filter(pk=entry_id).first()


def undoable_entry_for(post: Post) -> ModerationAction | None:
    """What Undo on a post reverses: the latest removal, rejection or spam mark still in
    force on it; else, for a shadow-hidden post, the shadow-hiding of its author."""
    own = (
        _entries()
        .filter(post=post, action__in=list(decisions.UNDOES), undone_by__isnull=True)
        .order_by("-created_at", "-pk")
        .first()
    )
    if own is not None and decisions.undoable(own.action, post.status, undone=False):
        return own
    if post.shadow and post.author_id is not None:
        return (
            _entries()
            .filter(
                action=decisions.BAN,
                undone_by__isnull=True,
                ban__in=Ban.objects.active().filter(kind=Ban.Kind.SHADOW, user=post.author_id),
            )
            .order_by("-created_at", "-pk")
            .first()
        )
    return None


# How long a moderator's decisions stay in the queue, in place, with Undo.
RECENT = dt.timedelta(minutes=30)


def recent_decisions(moderator_id: int) -> dict[int, ModerationAction]:
    """This moderator's removals, rejections and spam marks of the last half hour still in
    force, by post: the queue shows each where the post was, with Undo."""
    rows = (
        ModerationAction.objects.filter(
            actor_id=moderator_id,
            action__in=list(decisions.UNDOES),
            created_at__gte=timezone.now() - RECENT,
            undone_by__isnull=True,
        )
        .exclude(post=None)
        .select_related("post")
        .order_by("created_at", "pk")
    )
    return {
        row.post.pk: row
        for row in rows
        if row.post is not None and decisions.undoable(row.action, row.post.status, undone=False)
    }


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


# How many of the latest posts a blocklist term is tried on before it is added.
PREVIEW_POSTS = 1000


def blocklist_preview(*, kind: str, value: str, match: str) -> list[Post]:
    """The posts among the latest PREVIEW_POSTS, in any status, that the term would have met,
    newest first: what a moderator sees before adding it."""
    term = Term(kind=kind, value=value, match=match)
    latest = (
        Post.objects.select_related("article")
        .only("pk", "number", "body", "status", "created_at", "article__slug", "article__title")
        .order_by("-created_at", "-pk")[:PREVIEW_POSTS]
    )
    return [post for post in latest if term_matches(term, read_post(post.body))]
