"""Template filters and tags that name posts and bans in moderators' words (see
moderation.describe), and a queue item kept by what it shows (kept_queue_item)."""

from __future__ import annotations

import hashlib

from django import template
from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Model
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.selectors import ThreadPage
from knowhow.moderation import decisions, describe, readers, selectors
from knowhow.moderation.actions import ACTIONS, PostAction
from knowhow.moderation.models import CannedReason, ModerationAction
from knowhow.pagecache.fragments import kept_by_content, rows_as_read

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


QUEUE_ITEM = "moderation/partials/queue_item.html"
# What a queue item shows of the articles and accounts it names: all that counts of them in
# its key.
SHOWN_OF: dict[type[Model], tuple[str, ...]] = {
    Article: ("pk", "slug", "title"),
    User: ("pk", "username"),
}


@register.simple_tag(takes_context=True)
def kept_queue_item(context: template.Context, post: Post) -> SafeString:
    """A post of the queue, its HTML kept under a digest of the post as read (its reports,
    its author's other posts, the post it answers) and of the page around it, so a queue
    drawn anew after a write draws only the items that changed. An item a moderator decided
    a moment ago, or that has left the queue ("by you"), is drawn for them alone."""
    drawn = context.template.engine.get_template(QUEUE_ITEM)  # type: ignore[union-attr]

    def render() -> str:
        with context.push(post=post):
            return str(drawn.render(context))

    request = context.get("request")
    own = getattr(post, "decided", None) or getattr(post, "settled", None)
    if request is None or own or not settings.DISCUSSION_KEEP_POSTS:
        return mark_safe(render())  # noqa: S308 - the template's own output
    shown = (
        rows_as_read(post, SHOWN_OF),
        str(context.get("here", "")),
        str(post.pk) in (context.get("selected") or ()),
        selectors.canned_reasons_stamp(request),
        translation.get_language(),
        get_script_prefix(),
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return mark_safe(kept_by_content(request, f"queue-item:{digest}", render))  # noqa: S308
