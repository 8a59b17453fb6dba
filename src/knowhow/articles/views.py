"""Article, print, topic and people pages."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from knowhow.articles import selectors
from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion.forms import PostForm
from knowhow.discussion.selectors import own_post_ids, posts_page, reply_prefill
from knowhow.discussion.services import can_change
from knowhow.facts.selectors import fact_for, on_this_day
from knowhow.links import absolute_url


def render_article_page(
    request: HttpRequest, article: Article, form: PostForm, status: int = 200
) -> HttpResponse:
    """The article page with every section; a fixed number of queries whatever the posts."""
    today = timezone.localdate()
    own_ids = own_post_ids(request.session)
    posts = posts_page(article, request.GET.get("page"), request.user, own_ids)
    changeable = {
        post.number for post in posts.object_list if can_change(post, request.user, own_ids)
    }
    context = {
        "article": article,
        "canonical_url": absolute_url(request, article.get_absolute_url()),
        "related": selectors.related_articles(article),
        "fact": fact_for(today, seed=article.pk),
        "on_this_day": on_this_day(today, seed=article.pk),
        "posts": posts,
        "changeable": changeable,
        "edit_minutes": settings.DISCUSSION_EDIT_WINDOW_MINUTES,
        "form": form,
    }
    return render(request, "articles/article.html", context, status=status)


def article(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.published_article_or_404(slug)
    text, reply_to = reply_prefill(article, request.GET.get("reply"))
    form = PostForm(article_id=article.pk, initial={"body": text, "reply_to": reply_to})
    return render_article_page(request, article, form)


def article_print(request: HttpRequest, slug: str) -> HttpResponse:
    article = selectors.published_article_or_404(slug)
    context = {
        "article": article,
        "canonical_url": absolute_url(request, article.get_absolute_url()),
    }
    return render(request, "articles/print.html", context)


def article_list(request: HttpRequest) -> HttpResponse:
    articles = Article.objects.published().select_related("topic", "written_by")
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "articles/article_list.html", {"page": page})


def topic_list(request: HttpRequest) -> HttpResponse:
    return render(request, "articles/topic_list.html", {"topics": Topic.objects.all()})


def topic(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    articles = Article.objects.published().filter(topic=topic).select_related("written_by")
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "articles/topic.html", {"topic": topic, "page": page})


def person(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    articles = (
        Article.objects.published()
        .filter(Q(written_by=person) | Q(edited_by=person))
        .select_related("topic", "written_by", "edited_by")
    )
    page = Paginator(articles, 20).get_page(request.GET.get("page"))
    return render(request, "articles/person.html", {"person": person, "page": page})
