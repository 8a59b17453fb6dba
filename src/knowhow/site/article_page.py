"""The article page: every section, in the order a reader meets them, and what it depends on.

Read top to bottom, this is the page: title and "Article Details", "Print this Article",
"did you know", "on this day", the body, "You might also Like", "Discuss this Article" and
"Post your comments". Each section comes from the app that owns it. The page cache keeps
the whole page for anonymous readers until a tag named here changes or the day turns
over; for everyone else the parts that are the same for all readers are kept rendered
(templates' {% fragment %}), so reads below happen only when a part must be rendered.
A moderator's thread (every post, with its controls) is kept rendered for every moderator,
their forms' tokens filled in for each, unless it holds a post of their own they may still
change; their page itself is never kept.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject

from knowhow import pagecache
from knowhow.antiabuse.addresses import request_address
from knowhow.antiabuse.bans import standing
from knowhow.antiabuse.models import Ban
from knowhow.articles import selectors as articles
from knowhow.articles import translations
from knowhow.articles.models import Article
from knowhow.articles.roles import is_moderator, is_newsroom_staff, may_edit
from knowhow.discussion import selectors as discussion
from knowhow.discussion.forms import PostForm, issued_hole
from knowhow.discussion.services import can_change
from knowhow.facts import selectors as facts
from knowhow.links import base_url
from knowhow.moderation import selectors as moderation
from knowhow.moderation.models import CANNED_REASONS_TAG
from knowhow.pages import depends, metadata

# A moderator's controls in the thread, from the moderation app: the discussion's post
# partial shows what the page gives it here, under each post and on each removed one.
MODERATOR_CONTROLS = {
    "moderator_controls": "moderation/partials/thread_controls.html",
    "moderator_undo": "moderation/partials/thread_undo.html",
}


def article_page(
    request: HttpRequest,
    article: Article,
    form: PostForm,
    status: int = 200,
    cacheable: bool = True,
) -> HttpResponse:
    """The article page for this request; a fixed number of queries whatever the posts."""
    today = timezone.localdate()
    end_of_day = depends.end_of_today()
    user = request.user
    own_ids = discussion.own_post_ids(request.session)
    # Where the page of the thread starts (?before=N, ?after=N), by post number.
    at = discussion.ThreadAt.read(request.GET)
    # Newest first unless the reader asks for the oldest first; each order is its own page.
    oldest = discussion.oldest_first(request.GET.get("order"))
    # A moderator's thread: every post, held and hidden ones marked in place, each with its
    # controls; kept once for all moderators, with each one's own form tokens filled in.
    moderating = is_moderator(user)
    # Staff who may edit the article get a way to the editor; their page is never kept.
    editing = is_newsroom_staff(user) and may_edit(user, article)
    posts = SimpleLazyObject(
        lambda: discussion.posts_page(
            article, at, user, own_ids, moderating=moderating, oldest_first=oldest
        )
    )

    def changeable() -> set[int]:
        return {post.number for post in posts.object_list if can_change(post, user, own_ids)}

    if not form.is_bound:
        form.initial["issued"] = issued_hole(request, article.pk)

    # A reader who may not post (a ban on their account or address) is told so, why, until
    # when and how to appeal, where the form would be, and is not offered Report: a page of
    # their own, never kept. (Bans are kept in memory: this costs no query.)
    suspension = None if moderating else suspended_by(request)

    if moderating:
        # Every moderator's thread is the same but for their own posts they may still change.
        own = discussion.has_own_thread(article, user, own_ids)
        personal: object = "moderating" if own else ""
    elif suspension is not None:
        personal = "suspended"
    elif (user.is_authenticated or own_ids) and discussion.has_own_thread(article, user, own_ids):
        # A reader with posts only they see, or may still change, or whose account may not
        # post, gets their own thread.
        personal = "own"
    else:
        personal = ""
    article_tags = depends.of_article(article)
    # Its original and translations ("Read in", hreflang): read only when a part shows them.
    versions = SimpleLazyObject(lambda: translations.published_versions(article))
    related_tags = [article.cache_tag, *depends.of_related(article)]
    base = base_url(request)
    context: dict[str, Any] = {
        "article": article,
        # The article itself, whichever page of its discussion this is.
        "canonical_url": base + article.get_absolute_url(),
        # <head>: description, OpenGraph, Twitter card, JSON-LD, feeds and oEmbed links;
        # kept per site address, as it holds absolute ones.
        "head_key": f"article-head:{article.pk}:{base}",
        "article_tags": article_tags,
        "head": SimpleLazyObject(lambda: metadata.article_head(article, base, versions)),
        # "Article Details", the facts boxes and the body: one part, new each day.
        "top_key": f"article-top:{article.pk}",
        "top_tags": [*article_tags, depends.FACTS],
        "read_in": SimpleLazyObject(lambda: [v for v in versions if v.article.pk != article.pk]),
        "end_of_day": end_of_day,
        "fact": SimpleLazyObject(lambda: facts.fact_for(today, seed=article.pk)),
        "on_this_day": SimpleLazyObject(lambda: facts.on_this_day(today, seed=article.pk)),
        # "You might also Like"
        "related_key": f"article-related:{article.pk}",
        "related_tags": related_tags,
        "related": SimpleLazyObject(lambda: articles.related_articles(article)),
        # "Discuss this Article": everyone's page of the thread, or this reader's own.
        # A moderator's: every post with its controls and the set reasons they offer.
        "thread_key": ""
        if personal
        else f"{'moderating' if moderating else 'thread'}:{article.pk}:{at.key}:{int(oldest)}",
        "oldest_first": oldest,
        "thread_tags": [article.thread_tag, *([CANNED_REASONS_TAG] if moderating else [])],
        "posts": posts,
        "changeable": SimpleLazyObject(changeable),
        "edit_minutes": settings.DISCUSSION_EDIT_WINDOW_MINUTES,
        "moderating": moderating,
        **(MODERATOR_CONTROLS if moderating else {}),
        # What a kept post's controls offer besides the post: the set reasons (a query,
        # made only when a post is drawn or looked up).
        "post_variant": SimpleLazyObject(lambda: moderation.canned_reasons_stamp(request))
        if moderating
        else "",
        "edit_url": reverse("newsroom-edit", args=[article.pk]) if editing else "",
        # "Post your comments"
        "form": form,
        "suspension": suspension,
        "appeal_address": settings.DEFAULT_FROM_EMAIL,
    }
    response = render(request, "site/article.html", context, status=status)
    if moderating or editing:
        patch_cache_control(response, private=True, no_store=True)
        return response
    if not cacheable or status != 200 or personal:
        return response
    tags = [*article_tags, *related_tags, article.thread_tag, depends.FACTS]
    return pagecache.mark(
        request,
        response,
        tags,
        depends.until_lists_change_or_tomorrow,
        # A signed-in reader gets the page from memory only while their thread is everyone's.
        reader_check=discussion.own_thread_key("{user}", [], article.pk),
    )


def suspended_by(request: HttpRequest) -> Ban | None:
    """The ban that keeps this visitor from posting (their account's or address's), if any."""
    user = request.user if isinstance(request.user, User) else None
    return standing(user, request_address(request)).banned
