"""Posting to an article's discussion; editing and deleting one's own posts; links to posts.

Reporting a post is moderation's (moderation.views.report_post)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from knowhow.antiabuse.addresses import request_address
from knowhow.articles.models import Article
from knowhow.articles.selectors import published_article_or_404
from knowhow.articles.views import render_article_page
from knowhow.discussion import selectors, services
from knowhow.discussion.forms import EditForm, PostForm
from knowhow.discussion.models import Post

# Any other refusal (a closed article, a post sent too fast) is a 400.
REFUSAL_STATUS = {"banned": 403, "rate_limited": 429}


@require_POST
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    article = published_article_or_404(slug)
    form = PostForm(request.POST, article_id=article.pk)
    if not form.is_valid():
        # The form goes back with the reader's text in it and the reason it was refused.
        return render_article_page(request, article, form.renewed(), status=400)
    as_reader = request.user.is_authenticated and request.POST.get("as") != "anonymous"
    try:
        outcome = services.submit_post(
            article=article,
            body=form.cleaned_data["body"],
            author=request.user if as_reader else None,
            address=request_address(request),
            form_age=form.cleaned_data["form_age"],
            reply_to=form.cleaned_data.get("reply_to"),
            notify_email=form.cleaned_data.get("notify_email") or "",
            user_agent=request.headers.get("User-Agent", "")[:500],
            referrer=request.headers.get("Referer", "")[:500],
        )
    except services.PostRefused as refusal:
        form.add_error(None, refusal.message)
        response = render_article_page(
            request, article, form.renewed(), status=REFUSAL_STATUS.get(refusal.code, 400)
        )
        if refusal.retry_after:
            response["Retry-After"] = str(refusal.retry_after)
        return response
    post = outcome.post
    if not as_reader:
        selectors.remember_own_post(request.session, post.pk)
    if outcome.duplicate:
        messages.info(request, f"You had already posted this: it is Post {post.number}.")
    elif outcome.held:
        messages.info(
            request,
            f"Thank you. Your post is Post {post.number} and is awaiting moderation; "
            "only you can see it until a moderator approves it.",
        )
    return redirect(f"{article.get_absolute_url()}#{post.anchor}")


@require_GET
def post_permalink(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article = published_article_or_404(slug)
    page = selectors.page_of_post(article, number)
    url = reverse("article", args=[article.slug])
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#post-{number}")


def _own_post(request: HttpRequest, article: Article, number: int) -> Post:
    post = Post.objects.select_related("article").filter(article=article, number=number).first()
    if post is None:
        raise Http404("No such post")
    if not services.can_change(post, request.user, selectors.own_post_ids(request.session)):
        raise PermissionDenied(
            "Only the author can change a post, and only in the first minutes after posting."
        )
    return post


@require_http_methods(["GET", "POST"])
def edit_post(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article = published_article_or_404(slug)
    post = _own_post(request, article, number)
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        services.edit_own_post(post=post, body=form.cleaned_data["body"])
        messages.info(request, f"Post {post.number} was updated.")
        return redirect(f"{article.get_absolute_url()}#{post.anchor}")
    return render(
        request, "discussion/edit_post.html", {"article": article, "post": post, "form": form}
    )


@require_http_methods(["GET", "POST"])
def delete_post(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article = published_article_or_404(slug)
    post = _own_post(request, article, number)
    if request.method == "POST":
        services.delete_own_post(post=post)
        messages.info(request, f"Post {post.number} was removed.")
        return redirect(f"{article.get_absolute_url()}#discuss")
    return render(request, "discussion/delete_post.html", {"article": article, "post": post})
