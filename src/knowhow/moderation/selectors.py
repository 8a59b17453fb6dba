"""Reads for the moderators' pages: the queue, bans, the blocklist, the log, daily activity.

Each list is paged and runs a fixed number of queries whatever its length.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import Count, Exists, F, Min, OuterRef, Prefetch, Q, QuerySet, Window
from django.db.models.functions import Coalesce, RowNumber, TruncDate
from django.utils import timezone

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.antiabuse.reading import read_post
from knowhow.antiabuse.spam import Term, term_matches
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.moderation import decisions
from knowhow.moderation.models import CannedReason, Flag, ModerationAction
from knowhow.moderation.queue_filter import QueueFilter

PAGE_SIZE = 50
Action = ModerationAction.Action


def moderated_posts() -> QuerySet[Post]:
    """Posts with what every moderation page shows of them, open reports included
    (as `open_flags`, oldest first)."""
    open_flags = Flag.objects.filter(resolved_at__isnull=True).select_related("reporter")
    return Post.objects.select_related("article", "author").prefetch_related(
        Prefetch("flags", queryset=open_flags.order_by("created_at"), to_attr="open_flags")
    )


WHOLE_QUEUE = QueueFilter()

# How many of an author's other posts a queue item shows.
AUTHOR_POSTS = 3


def _queue_posts() -> QuerySet[Post]:
    """Posts as a queue item shows them: with the post each replies to."""
    return moderated_posts().select_related("reply_to__author")


def _latest_by(key: str, values: Collection[object], **narrow: object) -> dict[object, list[Post]]:
    """The latest AUTHOR_POSTS + 1 posts (any status) of each value of `key`, newest first:
    one query for them all."""
    if not values:
        return {}
    ranked = (
        Post.objects.filter(**{f"{key}__in": values}, **narrow)
        .select_related("article")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F(key),
                order_by=[F("created_at").desc(), F("pk").desc()],
            )
        )
        .filter(rank__lte=AUTHOR_POSTS + 1)
        .order_by(key, "rank")
    )
    latest: dict[object, list[Post]] = {}
    for other in ranked:
        latest.setdefault(getattr(other, key), []).append(other)
    return latest


def _with_context(posts: list[Post]) -> None:
    """Give each post `author_posts`: its author's latest other posts (AUTHOR_POSTS, newest
    first, in any status); for an anonymous post, those sent anonymously from its hashed
    address (the poster's page's definition). A query for accounts, one for addresses."""
    by_account = _latest_by("author_id", {p.author_id for p in posts if p.author_id})
    anonymous = {p.ip_hash for p in posts if p.author_id is None and p.ip_hash}
    by_address = _latest_by("ip_hash", anonymous, author=None)
    for post in posts:
        if post.author_id is not None:
            theirs = by_account.get(post.author_id, [])
        else:
            theirs = by_address.get(post.ip_hash, []) if post.ip_hash else []
        post.author_posts = [p for p in theirs if p.pk != post.pk][:AUTHOR_POSTS]  # type: ignore[attr-defined]


def _in_place(page: Page[Post], decided: dict[int, ModerationAction]) -> Page[Post]:
    """Mark the posts decided a moment ago (`post.decided`), shown in place with Undo."""
    page.object_list = list(page.object_list)
    for post in page.object_list:
        post.decided = decided.get(post.pk)  # type: ignore[attr-defined]
    _with_context(page.object_list)
    return page


def _decided_from(decided: dict[int, ModerationAction], status: str) -> list[int]:
    return [pk for pk, row in decided.items() if row.previous_status == status]


def _open_report(reason: str | None = None) -> Exists:
    reports = Flag.objects.filter(post=OuterRef("pk"), resolved_at__isnull=True)
    return Exists(reports.filter(reason=reason) if reason else reports)


def _narrowed(posts: QuerySet[Post], filters: QueueFilter) -> QuerySet[Post]:
    """The posts of one article, for one reason, as the queue's filters ask."""
    if filters.article:
        posts = posts.filter(article__slug=filters.article)
    if filters.held_code is not None:
        posts = posts.filter(held_code=filters.held_code)
    if filters.report_reason is not None:
        posts = posts.filter(_open_report(filters.report_reason))
    return posts


def _held(filters: QueueFilter, decided: dict[int, ModerationAction]) -> QuerySet[Post]:
    if filters.show == "reported":
        return Post.objects.none()
    waiting = Q(status=Post.Status.HELD) | Q(pk__in=_decided_from(decided, Post.Status.HELD))
    return _narrowed(_queue_posts().filter(waiting), filters)


def held_posts(
    page: str | int | None,
    decided: dict[int, ModerationAction] | None = None,
    filters: QueueFilter = WHOLE_QUEUE,
) -> Page[Post]:
    """Posts awaiting a moderator, oldest first (they have waited longest) unless the filters
    ask for the newest; with `decided`, those of them just decided stay in place."""
    decided = decided or {}
    order = ("-created_at", "-pk") if filters.newest_first else ("created_at", "pk")
    posts = _held(filters, decided).order_by(*order)
    return _in_place(Paginator(posts, PAGE_SIZE).get_page(page), decided)


def _reported(filters: QueueFilter, decided: dict[int, ModerationAction]) -> QuerySet[Post]:
    just = _decided_from(decided, Post.Status.PUBLISHED)
    posts: QuerySet[Post] = (
        _queue_posts()
        .filter(Q(status=Post.Status.PUBLISHED) | Q(pk__in=just))
        .annotate(
            first_report=Coalesce(
                Min("flags__created_at", filter=Q(flags__resolved_at__isnull=True)),
                Min("flags__created_at", filter=Q(pk__in=just)),
            )
        )
        .filter(first_report__isnull=False)
    )
    if filters.show == "held" or filters.held_code is not None:
        return posts.none()
    return _narrowed(posts, filters)


def reported_posts(
    page: str | int | None,
    decided: dict[int, ModerationAction] | None = None,
    filters: QueueFilter = WHOLE_QUEUE,
) -> Page[Post]:
    """Published posts with open reports, the longest-reported first (or the latest, as the
    filters ask); with `decided`, those of them just decided stay in place."""
    decided = decided or {}
    order = ("-first_report", "-pk") if filters.newest_first else ("first_report", "pk")
    posts = _reported(filters, decided).order_by(*order)
    return _in_place(Paginator(posts, PAGE_SIZE).get_page(page), decided)


def held_total() -> int:
    """How many posts await a moderator, in the whole queue."""
    return Post.objects.filter(status=Post.Status.HELD).count()


def still_reported() -> int:
    """How many published posts have open reports."""
    return Post.objects.filter(_open_report(), status=Post.Status.PUBLISHED).count()


def shown_waiting(filters: QueueFilter) -> int:
    """How many posts still waiting (held, or published with open reports) the filters show."""
    held = _held(filters, {}).filter(status=Post.Status.HELD).count()
    reported = _reported(filters, {}).filter(_open_report()).count()
    return held + reported


# The most articles the queue's article filter lists (a select, not a page).
QUEUE_ARTICLES = 200


def queue_articles() -> list[tuple[str, str]]:
    """(slug, title) of the articles with a post in the queue, by title: the article filter."""
    queued = Post.objects.filter(article=OuterRef("pk")).filter(
        Q(status=Post.Status.HELD) | Q(_open_report(), status=Post.Status.PUBLISHED)
    )
    rows = Article.objects.filter(Exists(queued)).order_by("title", "pk")
    return list(rows.values_list("slug", "title")[:QUEUE_ARTICLES])


def queue_items(post_ids: list[int], moderator_id: int) -> list[Post]:
    """The posts as the queue shows them now to this moderator, in the order given: each one
    decided a moment ago with `decided` (and Undo), else with `settled`, the latest log entry
    when it no longer waits, so an item answered in place says what became of it."""
    decided = recent_decisions(moderator_id)
    posts = {post.pk: post for post in _queue_posts().filter(pk__in=post_ids)}
    latest: dict[int, ModerationAction] = {}
    for row in _entries().filter(post_id__in=list(posts)).order_by("created_at", "pk"):
        assert row.post_id is not None
        latest[row.post_id] = row
    found = [posts[pk] for pk in post_ids if pk in posts]
    for post in found:
        post.decided = decided.get(post.pk)  # type: ignore[attr-defined]
        waits = post.status == Post.Status.HELD or (
            post.status == Post.Status.PUBLISHED and bool(post.open_flags)  # type: ignore[attr-defined]
        )
        post.settled = None if waits else latest.get(post.pk)  # type: ignore[attr-defined]
    _with_context(found)
    return found


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


def canned_reasons(request: object) -> list[CannedReason]:
    """The moderators' set reasons, read once per request however many forms offer them."""
    kept: list[CannedReason] | None = getattr(request, "_canned_reasons", None)
    if kept is None:
        kept = list(CannedReason.objects.all())
        if request is not None:
            request._canned_reasons = kept  # type: ignore[attr-defined]
    return kept


def canned_reasons_stamp(request: object) -> str:
    """What the set reasons a decision form offers are, as a short text: a moderator's
    post kept with its controls (discussion's kept_post) names it in its key."""
    shown = repr([(reason.pk, reason.label) for reason in canned_reasons(request)])
    return hashlib.blake2b(shown.encode(), digest_size=8).hexdigest()
