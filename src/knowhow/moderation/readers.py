"""Reads for a reader's page for moderators: one reader's whole story (every post in every
status with the reason it is where it is, the reports they made and received, their bans,
moderators' notes), and the accounts seen at the same hashed address. Addresses are never
shown, only names; each list is paged and costs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from knowhow.antiabuse.models import Ban
from knowhow.discussion.models import Post
from knowhow.moderation import decisions
from knowhow.moderation.models import Appeal, Flag, ModerationAction, ReaderNote

PAGE_SIZE = 25
# How far back "accounts at the same address" looks.
SAME_ADDRESS_DAYS = 30
# The log entries that say why a post is where it is, newest first on each post.
WHY = [
    ModerationAction.Action.AUTO_HOLD,
    ModerationAction.Action.FLAG_HOLD,
    ModerationAction.Action.APPROVE,
    ModerationAction.Action.REJECT,
    ModerationAction.Action.SPAM,
    ModerationAction.Action.REMOVE,
    ModerationAction.Action.EDIT,
    ModerationAction.Action.UNDO,
]


def _with_story(posts: QuerySet[Post]) -> QuerySet[Post]:
    """Posts with their article, their reports and the log entries that explain them
    (`decisions`, newest first, with who undid each)."""
    why = (
        ModerationAction.objects.filter(action__in=WHY)
        .select_related("actor", "undone_by")
        .order_by("-created_at", "-pk")
    )
    return posts.select_related("article", "author").prefetch_related(
        Prefetch("moderation", queryset=why, to_attr="decisions"),
        Prefetch("flags", queryset=Flag.objects.order_by("-created_at"), to_attr="all_flags"),
    )


def explain(post: Post) -> tuple[str, ModerationAction | None]:
    """Why the post is where it is, in words, and the log entry Undo would reverse (if
    any); the post must come from _with_story."""
    entries: list[ModerationAction] = getattr(post, "decisions", [])
    latest = entries[0] if entries else None
    undo = next(
        (
            e
            for e in entries
            if decisions.undoable(e.action, post.status, undone=e.undo is not None)
            and e.action != decisions.BAN
        ),
        None,
    )
    if post.status == Post.Status.HELD:
        return post.held_because or "held for a moderator", undo
    if latest is None:
        return "", undo
    who = latest.actor.username if latest.actor else "the site"
    said = f"{latest.get_action_display()} by {who}"
    if latest.note:
        said += f": {latest.note}"
    return said, undo


@dataclass(frozen=True)
class Story:
    """A reader's page: an account's, or an anonymous poster's (keyed by one of their posts)."""

    posts: Page[Post]
    reports_made: list[Flag]
    reports_received: list[Flag]
    bans: list[Ban]
    notes: Page[ReaderNote] | None
    same_address: list[str]


def _bans(q: Q) -> list[Ban]:
    bans = Ban.objects.filter(q).select_related("user", "created_by", "source_post__article")
    return list(bans.order_by("-created_at", "-pk")[:PAGE_SIZE])


def ban_entries(bans: list[Ban]) -> dict[int, ModerationAction]:
    """The log's "Banned" entry of each ban still undoable, by ban: what Undo reverses."""
    rows = ModerationAction.objects.filter(
        ban__in=bans, action=decisions.BAN, undone_by__isnull=True
    ).order_by("created_at", "pk")
    return {row.ban_id: row for row in rows if row.ban_id is not None}


def _hashes_of(posts: QuerySet[Post], since: dt.datetime) -> list[str]:
    return list(
        posts.filter(created_at__gte=since).exclude(ip_hash="").values_list("ip_hash", flat=True)
    )


def same_address_names(hashes: list[str], since: dt.datetime, but: User | None) -> list[str]:
    """Names of the accounts that posted from any of these hashed addresses since then."""
    if not hashes:
        return []
    others = Post.objects.filter(ip_hash__in=set(hashes), created_at__gte=since).exclude(
        author=None
    )
    if but is not None:
        others = others.exclude(author=but)
    names = others.order_by("author__username").values_list("author__username", flat=True)
    return list(dict.fromkeys(names))[:PAGE_SIZE]


def reader_story(user: User, page: str | int | None) -> Story:
    """Everything moderators know of an account, newest first."""
    posts = _with_story(Post.objects.filter(author=user)).order_by("-created_at", "-pk")
    since = timezone.now() - dt.timedelta(days=SAME_ADDRESS_DAYS)
    notes = ReaderNote.objects.filter(reader=user).select_related("author")
    reports = Flag.objects.select_related("post__article", "reporter").order_by("-created_at")
    return Story(
        posts=Paginator(posts, PAGE_SIZE).get_page(page),
        reports_made=list(reports.filter(reporter=user)[:PAGE_SIZE]),
        reports_received=list(reports.filter(post__author=user)[:PAGE_SIZE]),
        bans=_bans(Q(user=user) | Q(source_post__author=user)),
        notes=Paginator(notes, PAGE_SIZE).get_page(1),
        same_address=same_address_names(
            _hashes_of(Post.objects.filter(author=user), since), since, but=user
        ),
    )


def poster_story(post: Post, page: str | int | None) -> Story:
    """An anonymous poster's page: the anonymous posts from the hashed address of this one
    (only this post when it has none on record)."""
    theirs = Q(pk=post.pk)
    if post.ip_hash:
        theirs |= Q(ip_hash=post.ip_hash, author=None)
    posts = _with_story(Post.objects.filter(theirs)).order_by("-created_at", "-pk")
    since = timezone.now() - dt.timedelta(days=SAME_ADDRESS_DAYS)
    reports = Flag.objects.select_related("post__article", "reporter").order_by("-created_at")
    made = (
        list(reports.filter(reporter=None, reporter_hash=post.ip_hash)[:PAGE_SIZE])
        if post.ip_hash
        else []
    )
    bans = Q(source_post=post)
    if post.ip_hash:
        bans |= Q(source_post__ip_hash=post.ip_hash, kind__in=[Ban.Kind.ADDRESS, Ban.Kind.NETWORK])
    return Story(
        posts=Paginator(posts, PAGE_SIZE).get_page(page),
        reports_made=made,
        reports_received=list(reports.filter(post__in=Post.objects.filter(theirs))[:PAGE_SIZE]),
        bans=_bans(bans),
        notes=None,
        same_address=same_address_names([post.ip_hash] if post.ip_hash else [], since, but=None),
    )


def open_appeals() -> list[Appeal]:
    """The appeals waiting for a moderator, oldest first (the first page of them), each with
    the ban or the post it is about."""
    return list(waiting_appeals().order_by("created_at", "pk")[:PAGE_SIZE])


def waiting_appeals() -> QuerySet[Appeal]:
    """Appeals no moderator has decided yet, each with the ban or the post it is about."""
    return Appeal.objects.filter(decided_at__isnull=True).select_related(
        "user", "ban__user", "ban__source_post__article", "post__article"
    )
