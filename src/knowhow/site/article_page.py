"""The article page: every section, in the order a reader meets them, and what it depends on.

Read top to bottom, this is the page: title and "Article Details", "Print this Article",
"did you know", "on this day", the body, "You might also Like", "Discuss this Article" and
"Post your comments". Each section comes from the app that owns it; the page cache keeps
the whole for anonymous readers until a tag named here changes or the day turns over.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from knowhow import pagecache
from knowhow.articles import selectors as articles
from knowhow.articles.models import Article
from knowhow.discussion import selectors as discussion
from knowhow.discussion.forms import PostForm, issued_hole
from knowhow.discussion.services import can_change
from knowhow.facts import selectors as facts
from knowhow.links import absolute_url
from knowhow.site import depends


def article_page(
    request: HttpRequest,
    article: Article,
    form: PostForm,
    status: int = 200,
    cacheable: bool = True,
) -> HttpResponse:
    """The article page for this request; a fixed number of queries whatever the posts."""
    today = timezone.localdate()
    related = articles.related_articles(article)
    own_ids = discussion.own_post_ids(request.session)
    posts = discussion.posts_page(article, request.GET.get("page"), request.user, own_ids)
    changeable = {
        post.number for post in posts.object_list if can_change(post, request.user, own_ids)
    }
    if not form.is_bound:
        form.initial["issued"] = issued_hole(request, article.pk)
    context = {
        "article": article,
        "canonical_url": absolute_url(request, article.get_absolute_url()),
        "fact": facts.fact_for(today, seed=article.pk),
        "on_this_day": facts.on_this_day(today, seed=article.pk),
        "related": related,
        "posts": posts,
        "changeable": changeable,
        "edit_minutes": settings.DISCUSSION_EDIT_WINDOW_MINUTES,
        "form": form,
    }
    response = render(request, "site/article.html", context, status=status)
    if not cacheable or status != 200:
        return response
    tags = [
        *depends.of_article(article),
        article.thread_tag,
        depends.FACTS,
        *depends.of_articles(related),
    ]
    return pagecache.mark(response, tags, depends.until_lists_change(depends.end_of_today()))
