"""How moderators' pages and messages name posts and bans in words, never by hash."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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


def lasting(length: str | None) -> str:
    """ "for 7 days", or "until lifted" for None."""
    return _("until lifted") if length is None else _("for %(length)s") % {"length": length}


def ban_question(bans: Ban | Sequence[Ban], length: str | None, removes: int = 0) -> str:
    """What confirming a ban (or several on one reader) does, as the question asked before
    it: "Remove 4 posts and ban cheapmeds for 7 days?"."""
    records = [bans] if isinstance(bans, Ban) else list(bans)
    barred, hidden = [], []
    for ban in records:
        target = ban_target(ban)
        if ban.kind == Ban.Kind.SHADOW:
            hidden.append(
                _("shadow-hide %(target)s (their posts shown only to them)") % {"target": target}
            )
        elif ban.kind == Ban.Kind.RANGE:
            barred.append(_("the range %(target)s") % {"target": target})
        elif ban.kind in (Ban.Kind.ADDRESS, Ban.Kind.NETWORK):
            barred.append(_("the %(target)s") % {"target": target})
        else:
            barred.append(target)
    acts = [*hidden, *([_("ban %(whom)s") % {"whom": _and(barred)}] if barred else [])]
    act = _("%(acts)s %(length)s") % {"acts": _and(acts), "length": lasting(length)}
    if removes:
        act = ngettext(
            "remove %(count)d post and %(act)s", "remove %(count)d posts and %(act)s", removes
        ) % {"count": removes, "act": act}
    return _("%(question)s?") % {"question": f"{act[0].upper()}{act[1:]}"}


def removes_question(removes: int) -> str:
    return ngettext("Remove %(count)d post?", "Remove %(count)d posts?", removes) % {
        "count": removes
    }


def ban_in_force(ban: Ban) -> str:
    """A ban already in force, for the moderator about to ban again: "cheapmeds (account may
    not post) until 14 December 2026, 06:59, for “Selling pills.”"."""
    target = ban_target(ban)
    if ban.kind in (Ban.Kind.ADDRESS, Ban.Kind.NETWORK):
        target = _("The %(target)s") % {"target": target}
    said = _("%(target)s (%(kind)s) %(until)s") % {
        "target": target,
        "kind": ban.get_kind_display().lower(),
        "until": ban_until(ban),
    }
    if ban.reason:
        return _("%(ban)s, for “%(reason)s”") % {"ban": said, "reason": ban.reason}
    return said


def change_question(existing: Sequence[Ban], length: str | None) -> str:
    """The question when the reader is banned already: change that ban rather than add one."""
    count = len(existing)
    if length is None:
        return ngettext(
            "Change that ban to never end?", "Change those %(count)d bans to never end?", count
        ) % {"count": count}
    return ngettext(
        "Change that ban to last %(length)s from now?",
        "Change those %(count)d bans to last %(length)s from now?",
        count,
    ) % {"count": count, "length": length}


def _and(parts: Sequence[str]) -> str:
    if len(parts) == 1:
        return parts[0]
    return _("%(several)s and %(last)s") % {"several": ", ".join(parts[:-1]), "last": parts[-1]}


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
