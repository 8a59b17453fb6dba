"""Reads of the discussion reused across pages."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from knowhow.antiabuse.bans import BANS_TAG, account_suspended
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.pagecache.fragments import fragments

OWN_POSTS_KEY = "own_posts"

# What a post shows of the post it answers: its number and its author's name, read from the
# stored link, never from the text typed (which anyone could word as they like).
REPLY_FIELDS = [
    "reply_to__number",
    "reply_to__status",
    "reply_to__shadow",
    "reply_to__author__username",
    "reply_to__author_name",
]

# The orders a reader may read a thread in: ?order=oldest, or newest first by default.
OLDEST_FIRST = "oldest"


def oldest_first(order: str | None) -> bool:
    return order == OLDEST_FIRST


def own_post_ids(session: object) -> list[int]:
    """Posts this browser sent anonymously, remembered in its session."""
    ids = getattr(session, "get", lambda key, default: default)(OWN_POSTS_KEY, [])
    return [int(i) for i in ids if isinstance(i, int)]


def remember_own_post(session: object, post_id: int) -> None:
    ids = own_post_ids(session)
    if post_id not in ids:
        session[OWN_POSTS_KEY] = [*ids, post_id][-200:]  # type: ignore[index]


@dataclass(frozen=True)
class ThreadAt:
    """Where a page of a thread starts, by post number (stable, and read from the thread's
    index): the posts older than `before`, or newer than `after`; neither, the reader's
    first page. A page never skips rows to reach its place, however long the thread."""

    before: int | None = None
    after: int | None = None

    @classmethod
    def read(cls, query: Mapping[str, str]) -> ThreadAt:
        for name in ("before", "after"):
            # ASCII digits only: "²" is a digit to str.isdigit() but not to int().
            if re.fullmatch(r"[0-9]{1,9}", query.get(name) or ""):
                return cls(**{name: int(query[name])})
        return cls()

    @property
    def key(self) -> str:
        """This place in a kept page's key."""
        if self.before is not None:
            return f"b{self.before}"
        return "" if self.after is None else f"a{self.after}"


@dataclass
class ThreadPage:
    """One page of a thread in reading order, and where the pages beside it start."""

    object_list: list[Post]
    newer: int | None = None  # the newer posts' page: ?after=newer
    older: int | None = None  # the older posts' page: ?before=older

    def has_other_pages(self) -> bool:
        return self.newer is not None or self.older is not None


def posts_page(
    article: Article,
    at: ThreadAt,
    user: User | AnonymousUser | None = None,
    own_ids: Iterable[int] = (),
    moderating: bool = False,
    oldest_first: bool = False,
) -> ThreadPage:
    """One page of the thread, newest first (or oldest first, as a reader may ask), with
    the viewer's own held or hidden posts; for a moderator, everyone's held and
    shadow-hidden posts in place, with why. Each post comes with the post it answers and
    that post's author, for "In reply to Post 2 (name)".

    One query whatever the number of posts and wherever the page is (keyset paging by the
    post's number; never an OFFSET): two when a link leads past the reader's first page or
    to a place with nothing left, which then shows the first page.
    """
    shown = _seen_by(user, own_ids)
    if moderating:  # every post; rejected and spam ones as marks they can undo
        shown = Q(pk__isnull=False)
    fields = ["number", "body_html", "created_at", "edited_at", "status", "shadow"]
    fields += ["author__username", "author_name", "article_id"]
    fields += REPLY_FIELDS
    if moderating:
        fields += ["held_because", "ip_hash"]
    posts = (
        Post.objects.filter(shown, article=article)
        .select_related("author", "reply_to", "reply_to__author")
        .only(*fields)
    )
    size = settings.DISCUSSION_PAGE_SIZE
    if at.before is not None:
        descending, posts = True, posts.filter(number__lt=at.before)
    elif at.after is not None:
        descending, posts = False, posts.filter(number__gt=at.after)
    else:
        descending = not oldest_first
    rows = list(posts.order_by("-number" if descending else "number")[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    # Read against the reading order (the newer posts of a newest-first thread): with
    # nothing more that way, this is the reader's first page.
    backward = descending == oldest_first
    if at != ThreadAt() and (not rows or (backward and not more)):
        return posts_page(article, ThreadAt(), user, own_ids, moderating, oldest_first)
    numbers = [post.number for post in rows]
    if descending:
        older_left, newer_left = more, at.before is not None
    else:
        older_left, newer_left = bool(at.after), more
    if backward:
        rows.reverse()
    return ThreadPage(
        rows,
        newer=max(numbers) if newer_left and numbers else None,
        older=min(numbers) if older_left and numbers else None,
    )


def address_of_page(article: Article, page: str, oldest_first: bool) -> str:
    """Where page `page` of the thread, as pages were once numbered (?page=N, the public
    thread), is now: the address of the page that starts where it started, for old links.
    Reads as far into the thread as the page was (once, for the redirect)."""
    order = f"?order={OLDEST_FIRST}" if oldest_first else ""
    url = article.get_absolute_url()
    number = int(page) if re.fullmatch(r"[0-9]{1,6}", page) else 1
    if number <= 1:
        return url + order
    skipped = (number - 1) * settings.DISCUSSION_PAGE_SIZE
    numbers = (
        Post.objects.in_thread()
        .filter(article=article)
        .order_by("number" if oldest_first else "-number")
        .values_list("number", flat=True)
    )
    edge = numbers[skipped - 1 : skipped].first()
    if edge is None:  # past the end: the last page, as page numbers gave
        return url + (f"{order}&before={article.last_post_number + 1}" if order else "?after=0")
    return url + (f"{order}&after={edge}" if oldest_first else f"?before={edge}")


def _seen_by(user: User | AnonymousUser | None, own_ids: Iterable[int]) -> Q:
    """The posts of a thread this viewer sees: everyone's, and their own held or
    shadow-hidden ones."""
    mine = Q(pk__in=list(own_ids))
    if isinstance(user, User):
        mine |= Q(author=user)
    return Post.in_thread_q() | (mine & Q(status__in=Post.OWN_STATUSES))


def thread_seen_by(
    article: Article, user: User | AnonymousUser | None, own_ids: Iterable[int] = ()
) -> QuerySet[Post]:
    """The thread as this viewer sees it (as posts_page shows it, unpaged and unordered)."""
    return Post.objects.filter(_seen_by(user, own_ids), article=article)


def own_thread_key(user_id: object, own_ids: list[int], article_id: int) -> str:
    """Where the answer "does this viewer see their own thread here?" is kept: the page
    cache gives a signed-in reader a kept page of the thread only while it is ""."""
    return f"own-thread:{user_id}:{','.join(map(str, own_ids))}:{article_id}"


def has_own_thread(
    article: Article, user: User | AnonymousUser | None, own_ids: Iterable[int] = ()
) -> bool:
    """Whether this viewer gets a thread of their own here, not everyone's kept one: they
    see posts of their own only they see, or may still change (sees_own_thread), or a ban
    keeps their account from posting. The answer is kept (fragments) under own_thread_key,
    which the page cache asks before giving a signed-in reader a kept page or read: "no"
    until the thread or any ban changes, "yes" for a minute at most, as the time to edit a
    post runs out with no write."""
    ids = list(own_ids)

    def answer() -> tuple[str, list[str], float | None]:
        if sees_own_thread(article, user, ids):
            return "yes", [article.thread_tag], time.time() + 60
        if isinstance(user, User) and account_suspended(user):
            return "yes", [article.thread_tag, BANS_TAG], time.time() + 60
        return "", [article.thread_tag, BANS_TAG], None

    key = own_thread_key(user.pk if user is not None else None, ids, article.pk)
    return fragments().get_or_make(key, answer) != ""


def sees_own_thread(
    article: Article, user: User | AnonymousUser | None, own_ids: Iterable[int] = ()
) -> bool:
    """Whether this viewer's thread differs from everyone's: they have a post here that only
    they see (held, shadow-hidden) or may still edit or delete. One query at most."""
    ids = list(own_ids)
    mine = Q(pk__in=ids) if ids else Q(pk__in=[])
    if isinstance(user, User):
        mine |= Q(author=user)
    elif not ids:
        return False
    recent = timezone.now() - dt.timedelta(minutes=settings.DISCUSSION_EDIT_WINDOW_MINUTES)
    personal = (
        Q(status=Post.Status.HELD)
        | Q(shadow=True, status__in=Post.OWN_STATUSES)
        | Q(created_at__gte=recent, status__in=Post.OWN_STATUSES)
    )
    return Post.objects.filter(mine, personal, article=article).exists()


def address_of_post(article: Article, number: int) -> str:
    """The address of the thread's page (newest first) that shows post `number`: the page
    of the posts before a round number above it, so that links to nearby posts share one
    kept page. No query."""
    size = settings.DISCUSSION_PAGE_SIZE
    before = (number - 1) // size * size + size + 1
    url = article.get_absolute_url()
    if before > article.last_post_number:
        return f"{url}#post-{number}"
    return f"{url}?before={before}#post-{number}"


def posts_by(user_id: int, page: str | int | None) -> Page[Post]:
    posts = (
        Post.objects.visible()
        .filter(author_id=user_id, article__status=Article.Status.PUBLISHED)
        .select_related("article")
        .order_by("-created_at")
    )
    return Paginator(posts, 20).get_page(page)


def reply_prefill(article: Article, number: str | None) -> tuple[str, int | None]:
    """The start of a reply to post `number`: an @mention, or a quote of an anonymous post."""
    # ASCII digits only: "²" is a digit to str.isdigit() but not to int().
    if not number or not re.fullmatch(r"[0-9]{1,9}", number):
        return "", None
    post = (
        Post.objects.visible()
        .select_related("author")
        .filter(article=article, number=int(number))
        .first()
    )
    if post is None:
        return "", None
    if post.author is not None:
        return f"@{post.author.username} ", post.number
    first = post.body.strip().split("\n\n")[0].replace("\n", " ")
    if len(first) > 200:
        first = first[:200].rsplit(" ", 1)[0] + "…"
    return f"> {first} (Post {post.number})\n\n", post.number
