"""{% kept_post post %}: one post of a thread, its HTML kept by what it shows.

Drawing a post costs about a millisecond of template work, so a thread of 50 posts drawn
anew after a write (a new post, an edit, a decision) cost 50–100 ms. Each post's HTML is
kept under a digest of every value it shows (`post_key`): its own text and state, its
author's name, the post it answers, the article's address, the language, and what kind of
viewer it is drawn for (everyone, a reader who may not post, or the moderators, with the
page's `post_variant`). A write that changes any of these makes a new key, so a kept post
is never stale, and a thread drawn anew renders only the posts that changed.

A viewer's own bits never go into a kept post: a post they may still edit or delete is
drawn for them alone, and the moderators' forms keep their tokens as holes, filled for
each moderator (pagecache.fragments.kept_by_content).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django import template
from django.conf import settings
from django.urls import get_script_prefix
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe

from knowhow.discussion.models import Post
from knowhow.pagecache.fragments import kept_by_content

register = template.Library()

POST_TEMPLATE = "discussion/partials/post.html"


def post_key(post: Post, article_slug: str, variant: str) -> str:
    """Where a post's HTML is kept: a digest of everything the post template shows of it
    for a viewer of this kind (`variant`)."""
    author = post.author.username if post.author_id and post.author else None
    parent = post.reply_to if post.reply_to_id else None
    parent_author = parent.author if parent is not None and parent.author_id else None
    shown = (
        post.pk,
        post.number,
        post.status,
        post.shadow,
        post.body_html,
        post.created_at.isoformat(),
        post.edited_at.isoformat() if post.edited_at else "",
        author,
        post.author_name,
        getattr(post, "held_because", None) if "held_because" in post.__dict__ else None,
        bool(getattr(post, "open_flags", ())),
        (
            parent.number,
            parent.status,
            parent.shadow,
            parent_author.username if parent_author is not None else None,
            parent.author_name,
        )
        if parent is not None
        else None,
        article_slug,
        translation.get_language(),
        get_script_prefix(),  # the addresses in it
        variant,
    )
    digest = hashlib.blake2b(repr(shown).encode(), digest_size=16).hexdigest()
    return f"post:{digest}"


@register.simple_tag(takes_context=True)
def kept_post(context: template.Context, post: Post) -> SafeString:
    """The post drawn with the page's context, kept for every viewer of its kind unless it
    is this viewer's own to change (then drawn for them alone)."""
    drawn = context.template.engine.get_template(POST_TEMPLATE)  # type: ignore[union-attr]

    def render() -> str:
        with context.push(post=post):
            return str(drawn.render(context))

    request = context.get("request")
    changeable: Any = context.get("changeable") or ()
    if request is None or not settings.DISCUSSION_KEEP_POSTS or post.number in changeable:
        return mark_safe(render())  # noqa: S308 - the template's own output
    if context.get("moderating"):
        # Their controls lead back to the post's page of the thread: the first, or another.
        first_page = getattr(context.get("posts"), "newer", None) is None
        variant = f"moderating:{int(first_page)}:{context.get('post_variant', '')}"
    else:
        variant = "suspended" if context.get("suspension") else ""
    key = post_key(post, context["article"].slug, variant)
    return mark_safe(kept_by_content(request, key, render))  # noqa: S308 - as rendered
