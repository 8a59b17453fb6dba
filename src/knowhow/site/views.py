"""Every public page, composed from the apps' selectors and partials.

Each view names what its page depends on (pages.depends) and offers the page to the page
cache; see knowhow.pagecache. A view that composes the article page goes through
`article_page`, the one place that knows its sections.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.http import require_POST, require_safe

from knowhow import languages, pagecache
from knowhow.antiabuse.addresses import request_address
from knowhow.antiabuse.reasons import held_message
from knowhow.articles import selectors as articles
from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion import selectors as discussion
from knowhow.discussion import services as posting
from knowhow.discussion.forms import PostForm
from knowhow.facts import selectors as facts
from knowhow.facts.models import Fact, day_label, day_url
from knowhow.links import absolute_url
from knowhow.numbers import number
from knowhow.pagecache.fragments import fragments
from knowhow.pages import depends
from knowhow.pages.paging import NearerEndPaginator
from knowhow.search import selectors as search_index
from knowhow.site.article_page import article_page

PAGE_SIZE = 20


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    featured = articles.featured_article()
    recent = [a for a in articles.recent_articles(11) if featured is None or a.pk != featured.pk]
    recent = recent[:10]
    shown = [featured, *recent] if featured else recent
    context = {
        "featured": featured,
        "articles": recent,
        "topics": Topic.objects.all(),
        "fact": facts.fact_for(today),
        "on_this_day": facts.on_this_day(today),
    }
    response = render(request, "site/home.html", context)
    tags = [depends.ARTICLES, depends.TOPICS, depends.FACTS, *depends.of_articles(shown)]
    return pagecache.mark(request, response, tags, depends.until_lists_change_or_tomorrow)


def _published_article(slug: str) -> Article:
    """The published article with its topic and bylines, kept in memory until it changes."""

    def read() -> tuple[Article | None, list[str], float | None]:
        found = articles.article_for_page(slug)
        if found is not None:
            return found, depends.of_article(found), None
        # Not (yet) published: ask again when any article changes or one goes live.
        scheduled = depends.until_lists_change()
        return None, [depends.ARTICLES], scheduled.timestamp() if scheduled else None

    found = fragments().get_or_make(f"article:{slug}", read)
    if not isinstance(found, Article):
        raise Http404("No such article")
    return found


# What a reader whose browser runs no script reads after pressing Post on a page an edge kept.
RESEND = gettext_lazy(
    "Nothing was posted yet: this page came from the site's cache without your form's "
    "security token. Your text is still here; press Post once more to send it."
)


@require_safe
def article(request: HttpRequest, slug: str) -> HttpResponse:
    article = _published_article(slug)
    if "page" in request.GET and discussion.ThreadAt.read(request.GET) == discussion.ThreadAt():
        # The thread was once paged by number (?page=N): such links lead to where that
        # page started.
        oldest = discussion.oldest_first(request.GET.get("order"))
        page = request.GET.get("page") or ""
        return redirect(discussion.address_of_page(article, page, oldest) + "#discuss")
    reply = request.GET.get("reply")
    text, reply_to = discussion.reply_prefill(article, reply)
    form = PostForm(article_id=article.pk, initial={"body": text, "reply_to": reply_to})
    return article_page(request, article, form, cacheable=not reply)


@require_POST
def post_comment(request: HttpRequest, slug: str) -> HttpResponse:
    article = _published_article(slug)
    # The visitor's CSRF secret (Django's middleware checked it): one form, one post each.
    visitor = request.META.get("CSRF_COOKIE") or ""
    form = PostForm(request.POST, article_id=article.pk, visitor=visitor)
    if not form.is_valid():
        # The form goes back with the reader's text in it and the reason it was refused.
        return article_page(request, article, form.renewed(), status=400)
    as_reader = request.user.is_authenticated and request.POST.get("as") != "anonymous"
    try:
        outcome = posting.submit_post(
            article=article,
            body=form.cleaned_data["body"],
            author=request.user if as_reader else None,
            address=request_address(request),
            form_age=form.cleaned_data["form_age"],
            reply_to=form.cleaned_data.get("reply_to"),
            notify_email=form.cleaned_data.get("notify_email") or "",
            user_agent=request.headers.get("User-Agent", "")[:500],
            referrer=request.headers.get("Referer", "")[:500],
            own_post_ids=discussion.own_post_ids(request.session),
            account=request.user,
            form_nonce=form.cleaned_data["form_nonce"],
        )
    except posting.PostRefused as refusal:
        page = article_page(request, article, form.refused(refusal), status=refusal.status)
        return refusal.answer(page)
    post = outcome.post
    if not as_reader:
        discussion.remember_own_post(request.session, post.pk)
    if outcome.duplicate:
        messages.info(
            request,
            _("You had already posted this: it is Post %(number)s.")
            % {"number": number(post.number)},
        )
    elif outcome.held:
        messages.info(request, held_message(post.number, list(outcome.reasons)))
    if post.notify_email and not outcome.duplicate:
        # The same words whatever the address's state, so they tell nobody whether an
        # address is known here or has unsubscribed.
        messages.info(
            request,
            _(
                "Replies are emailed to %(address)s only once its owner confirms it: "
                "unless it is confirmed already, we sent a link to confirm this address."
            )
            % {"address": post.notify_email},
        )
    return redirect(f"{article.get_absolute_url()}#{post.anchor}")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal (settings.CSRF_FAILURE_VIEW), but for a post sent from a page
    an edge keeps for everyone by a browser that runs no script: its form came without the
    visitor's token (the page's script fills it in). Django's check still refused it and
    nothing was written; the reader gets the form back with their text, the form's own
    time (so the minimum time to post still counts from their visit) and their token, to
    send once more. A post from another site fails the origin check first, as before."""
    if reason == REASON_CSRF_TOKEN_MISSING and request.method == "POST":
        match = resolve(request.path_info)
        if match.url_name == "post-comment":
            article = _published_article(match.kwargs["slug"])
            visitor = request.META.get("CSRF_COOKIE") or ""
            form = PostForm(request.POST, article_id=article.pk, visitor=visitor)
            form.add_error(None, RESEND)
            return article_page(request, article, form, status=400)
    return django_csrf_failure(request, reason)


@require_safe
def article_print(request: HttpRequest, slug: str) -> HttpResponse:
    article = _published_article(slug)
    context = {
        "article": article,
        "canonical_url": absolute_url(request, article.get_absolute_url()),
    }
    response = render(request, "site/print.html", context)
    return pagecache.mark(request, response, depends.of_article(article))


def _list_page(
    request: HttpRequest, template: str, context: dict[str, object], tags: list[str]
) -> HttpResponse:
    response = render(request, template, context)
    page = context["page"]
    shown = depends.of_articles(page.object_list)  # type: ignore[attr-defined]
    return pagecache.mark(
        request, response, [depends.ARTICLES, *tags, *shown], depends.until_lists_change
    )


@require_safe
def article_list(request: HttpRequest) -> HttpResponse:
    listed = Article.objects.published().select_related("topic", "written_by", "lead_image")
    page = NearerEndPaginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    return _list_page(request, "site/article_list.html", {"page": page}, [depends.TOPICS])


@require_safe
def topic_list(request: HttpRequest) -> HttpResponse:
    response = render(request, "site/topic_list.html", {"topics": Topic.objects.all()})
    return pagecache.mark(request, response, [depends.TOPICS])


@require_safe
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    topic = get_object_or_404(Topic, slug=slug)
    listed = (
        Article.objects.published().filter(topic=topic).select_related("written_by", "lead_image")
    )
    page = NearerEndPaginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"topic": topic, "page": page}
    return _list_page(request, "site/topic.html", context, [topic.cache_tag])


@require_safe
def person(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Person, slug=slug)
    listed = articles.articles_of_person(person).select_related(
        "topic", "written_by", "edited_by", "lead_image"
    )
    page = NearerEndPaginator(listed, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"person": person, "page": page}
    return _list_page(request, "site/person.html", context, [person.cache_tag, depends.TOPICS])


@require_safe
def fact(request: HttpRequest, slug: str) -> HttpResponse:
    fact = get_object_or_404(Fact.objects.select_related("topic"), slug=slug)
    related = list(fact.related.published().select_related("topic"))
    response = render(request, "site/fact.html", {"fact": fact, "related": related})
    tags = [depends.FACTS, depends.ARTICLES, depends.TOPICS]
    return pagecache.mark(request, response, tags, depends.until_lists_change)


@require_safe
def fact_list(request: HttpRequest) -> HttpResponse:
    listed = Fact.objects.select_related("topic")
    page = NearerEndPaginator(listed, 30).get_page(request.GET.get("page"))
    response = render(request, "site/fact_list.html", {"page": page})
    return pagecache.mark(request, response, [depends.FACTS, depends.TOPICS])


@require_safe
def today(request: HttpRequest) -> HttpResponse:
    now = timezone.localdate()
    return redirect(day_url(now.month, now.day))


def _neighbour(date: dt.date) -> tuple[str, str]:
    date = date.replace(year=2000)
    return day_label(date.month, date.day), day_url(date.month, date.day)


@require_safe
def on_this_day(request: HttpRequest, month: int, day: int) -> HttpResponse:
    try:
        date = dt.date(2000, month, day)  # a leap year, so 29 February exists
    except (ValueError, OverflowError):  # no such day, or digits past any number
        raise Http404("No such day") from None
    now = timezone.localdate()
    context = {
        "label": day_label(month, day),
        "events": facts.events_of_day(month, day),
        "previous": _neighbour(date - dt.timedelta(days=1)),
        "next": _neighbour(date + dt.timedelta(days=1)),
        "is_today": (month, day) == (now.month, now.day),
    }
    response = render(request, "site/on_this_day.html", context)
    tags = [depends.FACTS, depends.ARTICLES]  # events link to articles by title
    return pagecache.mark(request, response, tags, depends.end_of_today)


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """Results for ?q=: every published article may match, so any article write is news."""
    text = request.GET.get("q", "")
    # The reader's language (the interface's); ?lang= asks for another one articles are in.
    asked = languages.normal(request.GET.get("lang", ""))
    language = asked if languages.known(asked) else translation.get_language()
    results = search_index.search(text, request.GET.get("page"), language)
    shown = [hit.article for hit in results.page.object_list] if results.page else []
    context = {
        "results": results,
        "q": results.text,
        "shown": shown,
        "page_param": urlencode(
            {"q": results.text, **({"lang": asked} if asked == language else {})}
        )
        + "&page",
    }
    response = render(request, "site/search.html", context)
    tags = [depends.ARTICLES, depends.TOPICS, *depends.of_articles(shown)]
    return pagecache.mark(request, response, tags, depends.until_lists_change)
