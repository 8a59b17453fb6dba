"""Posting to an article's discussion, and permanent links to posts."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from knowhow.articles.selectors import published_article_or_404
from knowhow.articles.views import render_article_page
from knowhow.discussion import selectors, services
from knowhow.discussion.forms import PostForm


@require_POST
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    article = published_article_or_404(slug)
    form = PostForm(request.POST)
    if form.is_valid():
        as_reader = request.user.is_authenticated and request.POST.get("as") != "anonymous"
        try:
            post = services.post_comment(
                article=article,
                body=form.cleaned_data["body"],
                author=request.user if as_reader else None,
            )
        except ValidationError as error:
            form.add_error("body", error)
        else:
            return redirect(f"{article.get_absolute_url()}#{post.anchor}")
    # The form goes back with the reader's text in it and the reason it was refused.
    return render_article_page(request, article, form, status=400)


@require_GET
def post_permalink(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article = published_article_or_404(slug)
    page = selectors.page_of_post(article, number)
    url = reverse("article", args=[article.slug])
    if page > 1:
        url += f"?page={page}"
    return redirect(f"{url}#post-{number}")
