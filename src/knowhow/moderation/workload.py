"""The dashboard's account of the moderators' work over a window: removals, reports, bans
and appeals in all, each moderator's decisions by kind, and how long posts waited from
being held or reported to a moderator's decision (the median). A fixed number of queries."""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Count, Min
from django.utils import timezone

from knowhow.antiabuse.models import Ban
from knowhow.moderation.models import Appeal, Flag, ModerationAction

Action = ModerationAction.Action
# The columns of the per-moderator table, in order.
COLUMNS: list[tuple[str, str]] = [
    (Action.APPROVE, "Approved"),
    (Action.REJECT, "Rejected"),
    (Action.REMOVE, "Removed"),
    (Action.SPAM, "Spam"),
    (Action.DISMISS_FLAGS, "Reports dismissed"),
    (Action.EDIT, "Edited"),
    (Action.BAN, "Bans"),
    (Action.UNDO, "Undone"),
]
DECISIONS = [Action.APPROVE, Action.REJECT, Action.REMOVE, Action.SPAM, Action.DISMISS_FLAGS]
HOLDS = [Action.AUTO_HOLD, Action.FLAG_HOLD]
# The most decisions timed; a busier month is timed on its latest ones.
TIMED = 5000


@dataclass
class ModeratorWork:
    name: str
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def cells(self) -> list[int]:
        return [self.counts.get(code, 0) for code, _ in COLUMNS]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Workload:
    removals: int
    reports: int
    bans: int
    appeals: int
    moderators: list[ModeratorWork]
    median_wait: dt.timedelta | None
    timed: int


def workload(days: int = 30, now: dt.datetime | None = None) -> Workload:
    since = (now or timezone.now()) - dt.timedelta(days=days)
    log = ModerationAction.objects.filter(created_at__gte=since)
    by_kind = dict(
        log.order_by().values_list("action").annotate(n=Count("pk")).values_list("action", "n")
    )
    people: dict[str, ModeratorWork] = {}
    rows = (
        log.filter(actor__isnull=False)
        .order_by()
        .values_list("actor__username", "action")
        .annotate(n=Count("pk"))
    )
    for name, action, n in rows:
        people.setdefault(name, ModeratorWork(name)).counts[action] = n
    wait, timed = _median_wait(since)
    return Workload(
        removals=by_kind.get(Action.REMOVE, 0),
        reports=Flag.objects.filter(created_at__gte=since).count(),
        bans=Ban.objects.filter(created_at__gte=since).count(),
        appeals=Appeal.objects.filter(created_at__gte=since).count(),
        moderators=sorted(people.values(), key=lambda w: (-w.total, w.name)),
        median_wait=wait,
        timed=timed,
    )


def _median_wait(since: dt.datetime) -> tuple[dt.timedelta | None, int]:
    """The median time from a post's first hold or report to a moderator's decision on it,
    over the decisions of the window; and how many were timed."""
    decided = list(
        ModerationAction.objects.filter(
            created_at__gte=since, action__in=DECISIONS, actor__isnull=False, post__isnull=False
        )
        .order_by("-created_at")
        .values_list("post_id", "created_at")[:TIMED]
    )
    ids = {post_id for post_id, _ in decided}
    held = dict(
        ModerationAction.objects.filter(post_id__in=ids, action__in=HOLDS)
        .order_by()
        .values_list("post_id")
        .annotate(first=Min("created_at"))
        .values_list("post_id", "first")
    )
    reported = dict(
        Flag.objects.filter(post_id__in=ids)
        .order_by()
        .values_list("post_id")
        .annotate(first=Min("created_at"))
        .values_list("post_id", "first")
    )
    waits = []
    for post_id, when in decided:
        starts = [t for t in (held.get(post_id), reported.get(post_id)) if t and t <= when]
        if starts:
            waits.append((when - min(starts)).total_seconds())
    if not waits:
        return None, 0
    return dt.timedelta(seconds=statistics.median(waits)), len(waits)


def duration(wait: dt.timedelta | None) -> str:
    """ "3 h 20 min", "12 min", "under a minute"."""
    if wait is None:
        return "—"
    minutes = int(wait.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return f"{hours // 24} days"
    return f"{hours} h {minutes} min" if hours else f"{minutes} min"
