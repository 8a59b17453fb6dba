"""Template filters that name posts and bans in moderators' words (see moderation.describe)."""

from __future__ import annotations

from django import template

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.selectors import ThreadPage
from knowhow.moderation import decisions, describe, readers, selectors
from knowhow.moderation.actions import ACTIONS, PostAction
from knowhow.moderation.models import CannedReason, ModerationAction

register = template.Library()


@register.filter
def decisions_for(post: Post) -> list[PostAction]:
    """The queue's buttons for the post: every decision that fits it now (actions.ACTIONS)."""
    return [action for action in ACTIONS.values() if action.offered_for(post)]


@register.simple_tag
def place_in_thread(article: Article, page: ThreadPage, post: Post) -> str:
    """Where a moderator acting on a post of the thread comes back to: its page, at it (past
    the first page, the post's permalink, which lands on the page holding it)."""
    if page.newer is not None:
        return post.get_absolute_url()
    return f"{article.get_absolute_url()}#{post.anchor}"


@register.filter
def can_undo(entry: ModerationAction) -> bool:
    """Whether the log offers Undo on the entry (decisions.undoable)."""
    status = entry.post.status if entry.post is not None else None
    return decisions.undoable(entry.action, status, undone=entry.undo is not None)


register.filter("post_label", describe.post_label)
register.filter("ban_target", describe.ban_target)
register.filter("ban_until", describe.ban_until)


@register.simple_tag
def explain(post: Post) -> tuple[str, ModerationAction | None]:
    """Why a post on a reader's page is where it is, and what Undo reverses (readers.explain)."""
    return readers.explain(post)


@register.filter
def get_item(mapping: dict[int, ModerationAction], key: int) -> ModerationAction | None:
    return mapping.get(key)


@register.simple_tag(takes_context=True)
def canned_reasons(context: template.Context) -> list[CannedReason]:
    """The moderators' set reasons, read once per page however many forms offer them."""
    return selectors.canned_reasons(context.get("request"))


@register.filter
def for_post(post: Post) -> str:
    """ "for Post 3": a control's name on the thread, where the article goes without saying."""
    return f"for Post {post.number}"
