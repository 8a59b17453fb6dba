"""Editing and deleting one's own posts; links to posts.

Posting is on the article page (site.views.post_comment); reporting a post is moderation's
(moderation.views.report_post)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from knowhow.antiabuse.addresses import request_address
from knowhow.articles.models import Article
from knowhow.articles.selectors import published_article_or_404
from knowhow.discussion import selectors, services
from knowhow.discussion.forms import EditForm
from knowhow.discussion.models import Post


@require_GET
def post_permalink(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article = published_article_or_404(slug)
    return redirect(selectors.address_of_post(article, number))


def _own_post(request: HttpRequest, article: Article, number: int) -> Post:
    post = Post.objects.select_related("article").filter(article=article, number=number).first()
    if post is None:
        raise Http404(_("No such post"))
    if not services.can_change(post, request.user, selectors.own_post_ids(request.session)):
        raise PermissionDenied(
            _("Only the author can change a post, and only in the first minutes after posting.")
        )
    return post


@require_http_methods(["GET", "POST"])
def edit_post(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    article = published_article_or_404(slug)
    post = _own_post(request, article, number)
    form = EditForm(request.POST or None, initial={"body": post.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.edit_own_post(
                post=post,
                body=form.cleaned_data["body"],
                account=request.user,
                address=request_address(request),
            )
        except services.PostRefused as refusal:
            if refusal.code == "banned":
                raise PermissionDenied(refusal.message) from None
            # A text the site does not accept: said on the form, with the text kept.
            form.add_error("body", refusal.message)
            return refusal.answer(
                render(
                    request,
                    "discussion/edit_post.html",
                    {"article": article, "post": post, "form": form},
                    status=refusal.status,
                )
            )
        messages.info(request, _("Post %(number)s was updated.") % {"number": post.number})
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
        messages.info(request, _("Post %(number)s was removed.") % {"number": post.number})
        return redirect(f"{article.get_absolute_url()}#discuss")
    return render(request, "discussion/delete_post.html", {"article": article, "post": post})
