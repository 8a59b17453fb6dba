"""How moderators' pages and messages name posts and bans in words, never by hash."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from knowhow.antiabuse.models import Ban
from knowhow.dates import clock_time
from knowhow.discussion.models import Post
from knowhow.moderation import decisions
from knowhow.moderation.models import ModerationAction


def sentence(text: str) -> str:
    """The text with a full stop, unless it already ends like a sentence: most titles here are
    questions, and "Approved Post 3 on What are Electrolytes?." reads badly."""
    return text if text.endswith((".", "?", "!")) else f"{text}."


def post_label(post: Post) -> str:
    """ "Post 3 on What are Electrolytes?" (the post's article must be loaded with it)."""
    return _("Post %(number)s on %(title)s") % {"number": post.number, "title": post.article.title}


def post_labels(posts: Sequence[Post]) -> str:
    """Several posts in one phrase: "Post 2 on A, Post 5 on A and Post 1 on B"."""
    labels = [post_label(post) for post in posts]
    if len(labels) <= 1:
        return "".join(labels)
    return _("%(several)s and %(last)s") % {"several": ", ".join(labels[:-1]), "last": labels[-1]}


def ban_target(ban: Ban) -> str:
    """Who or what a ban keeps out: an account name, the post an address came from, a range."""
    if ban.kind in (Ban.Kind.ACCOUNT, Ban.Kind.SHADOW):
        return ban.user.username if ban.user is not None else _("a deleted account")
    if ban.kind == Ban.Kind.RANGE:
        return ban.cidr
    address = ban.kind == Ban.Kind.ADDRESS
    if ban.source_post is None:
        return _("address of a deleted post") if address else _("network of a deleted post")
    post = post_label(ban.source_post)
    if address:
        return _("address of %(post)s") % {"post": post}
    return _("network of %(post)s") % {"post": post}


def ban_until(ban: Ban) -> str:
    """When the ban ends, in the site's time zone."""
    if ban.expires_at is None:
        return _("until lifted")
    return _("until %(when)s") % {"when": clock_time(ban.expires_at, with_date=True)}


def ban_question(bans: Ban | Sequence[Ban], length: str, removes: int = 0) -> str:
    """What confirming a ban (or several on one reader) does, as the question asked before
    it: "Remove 4 posts and ban cheapmeds for 7 days?"."""
    records = [bans] if isinstance(bans, Ban) else list(bans)
    barred, hidden = [], []
    for ban in records:
        target = ban_target(ban)
        if ban.kind == Ban.Kind.SHADOW:
            hidden.append(f"shadow-hide {target} (their posts shown only to them)")
        elif ban.kind == Ban.Kind.RANGE:
            barred.append(f"the range {target}")
        elif ban.kind in (Ban.Kind.ADDRESS, Ban.Kind.NETWORK):
            barred.append(f"the {target}")
        else:
            barred.append(target)
    acts = [*hidden, *([f"ban {_and(barred)}"] if barred else [])]
    act = f"{_and(acts)} {length}"
    if removes:
        act = f"remove {removes} post{'s' if removes != 1 else ''} and {act}"
    return f"{act[0].upper()}{act[1:]}?"


def ban_in_force(ban: Ban) -> str:
    """A ban already in force, for the moderator about to ban again: "cheapmeds (account may
    not post) until 14 December 2026, 06:59, for “Selling pills.”"."""
    target = ban_target(ban)
    if ban.kind in (Ban.Kind.ADDRESS, Ban.Kind.NETWORK):
        target = f"The {target}"
    said = f"{target} ({ban.get_kind_display().lower()}) {ban_until(ban)}"
    return f"{said}, for “{ban.reason}”" if ban.reason else said


def change_question(existing: Sequence[Ban], length: str) -> str:
    """The question when the reader is banned already: change that ban rather than add one."""
    lasting = "never end" if length == "until lifted" else f"last {length.removeprefix('for ')}"
    if length != "until lifted":
        lasting += " from now"
    them = "that ban" if len(existing) == 1 else f"those {len(existing)} bans"
    return f"Change {them} to {lasting}?"


def _and(parts: Sequence[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def undo_outcome(entry: ModerationAction, done: bool = False) -> str:
    """What undoing the entry does, in a moderator's words: "Post 3 on … is published
    again, at its number." (done=True: as it reads once done.)"""
    if entry.action == decisions.BAN and entry.ban is not None:
        what = f"the ban on {ban_target(entry.ban)}"
        if entry.ban.kind == Ban.Kind.SHADOW:
            what = f"the shadow-hiding of {ban_target(entry.ban)}"
        said = "is lifted" if done else "is lifted if it still holds"
        return f"{what[0].upper()}{what[1:]} {said}, and posts taken down with it are put back."
    if entry.post is None:
        return "Nothing: the post no longer exists."
    status = entry.previous_status or decisions.RESTORES_BY_DEFAULT.get(entry.action, "")
    places: dict[str, str] = {
        decisions.PUBLISHED: "published again, at its number",
        decisions.HELD: "back in the queue, awaiting moderation",
    }
    back = places.get(status, f"“{status}” again")
    verb = "is" if done else "will be"
    return f"{post_label(entry.post)} {verb} {back}."
