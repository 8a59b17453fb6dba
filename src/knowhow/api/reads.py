"""What anyone may read, as the public pages show it: articles, topics, people, the
discussion, facts and the day's events. Drafts and scheduled articles never appear
(Article.objects.published(), the one definition); a thread shows what its page shows.

Each read names what it shows (site.depends) and is answered through knowhow.api.kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Router

from knowhow.accounts.api_tokens import Scope
from knowhow.api import kept, paging, schemas, shapes
from knowhow.api.callers import identify, require
from knowhow.api.errors import ApiError
from knowhow.articles import selectors as articles
from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion import selectors as discussion
from knowhow.discussion.models import Post
from knowhow.facts.models import Event, Fact, day_label
from knowhow.pages import depends
from knowhow.search import selectors as search_index

router = Router(tags=["read"])
ERRORS: dict[int, Any] = {code: schemas.Error for code in (400, 401, 403, 404, 429)}
ARTICLE_ORDER = ("-published_at", "-pk")


def _read(request: HttpRequest) -> None:
    require(request, Scope.READ.value)


def _listed(rows: QuerySet[Article]) -> QuerySet[Article]:
    return rows.select_related("topic", "written_by")


def _article_page(request: HttpRequest, rows: QuerySet[Article], tags: list[str]) -> kept.Made:
    at = paging.window(request, "articles")
    page = paging.by_key(_listed(rows), ARTICLE_ORDER, at)
    body = {
        "items": [shapes.article_summary(request, a) for a in page.items],
        "next": paging.next_link(request, at, page),
    }
    shown = depends.of_articles(page.items)
    tags = [depends.ARTICLES, depends.TOPICS, depends.PEOPLE, *tags, *shown]
    return body, tags, depends.until_lists_change()


def published_or_404(slug: str) -> Article:
    found = articles.article_for_page(slug)
    if found is None:
        raise ApiError(404, "not_found", "No published article has this address.")
    return found


@router.get("/articles/", response={200: schemas.ArticleList, **ERRORS}, url_name="articles")
def article_list(request: HttpRequest) -> HttpResponse:
    """Published articles, newest first."""
    _read(request)
    return kept.answer(request, lambda: _article_page(request, Article.objects.published(), []))


@router.get("/articles/{slug}/", response={200: schemas.Article, **ERRORS}, url_name="article")
def article(request: HttpRequest, slug: str) -> HttpResponse:
    """One published article, with its text as Markdown and as the page shows it."""
    _read(request)

    def make() -> kept.Made:
        found = published_or_404(slug)
        return shapes.article(request, found), depends.of_article(found), None

    return kept.answer(request, make)


@router.get(
    "/articles/{slug}/related/",
    response={200: schemas.ArticleList, **ERRORS},
    url_name="article-related",
)
def related(request: HttpRequest, slug: str) -> HttpResponse:
    """The articles the page's "You might also like" shows, best first."""
    _read(request)

    def make() -> kept.Made:
        found = published_or_404(slug)
        at = paging.window(request, "related")
        shown = articles.related_articles(found)
        full = _listed(Article.objects.published()).in_bulk([a.pk for a in shown])
        page = paging.by_offset([full[a.pk] for a in shown if a.pk in full], at)
        body = {
            "items": [shapes.article_summary(request, a) for a in page.items],
            "next": paging.next_link(request, at, page),
        }
        tags = [found.cache_tag, *depends.of_related(found), depends.TOPICS, depends.PEOPLE]
        return body, tags, depends.until_lists_change()

    return kept.answer(request, make)


def _viewer(request: HttpRequest, slug: str) -> tuple[Article | None, bool]:
    """For a caller who may have posts of their own here: the article, and whether they get
    their own thread there, as on the article page (discussion.has_own_thread: a held or
    shadow-hidden post of theirs, one they may still change), whose answer is made for them
    alone. (None, False) for anyone else."""
    caller = identify(request)
    if caller.account is None and not caller.own_post_ids:
        return None, False
    found = published_or_404(slug)
    return found, discussion.has_own_thread(found, caller.account, caller.own_post_ids)


def _thread(request: HttpRequest, article: Article, personal: bool) -> QuerySet[Post]:
    """The posts of the thread: everyone's, or with the caller's own held ones."""
    if not personal:
        return Post.objects.in_thread().filter(article=article)
    caller = identify(request)
    return discussion.thread_seen_by(article, caller.account, caller.own_post_ids)


def _reader_check(article: Article | None) -> str:
    """What the page cache asks before giving a signed-in reader a kept thread: the article
    page's answer, so a reader with posts only they see is answered live."""
    return discussion.own_thread_key("{user}", [], article.pk) if article is not None else ""


@router.get(
    "/articles/{slug}/posts/", response={200: schemas.PostList, **ERRORS}, url_name="article-posts"
)
def posts(request: HttpRequest, slug: str) -> HttpResponse:
    """The article's discussion, newest first, as its page shows everyone: published posts,
    and the numbers of posts taken down. Its author also gets their own posts still
    awaiting a moderator, marked `held`, with what the site tells them (`held_note`)."""
    _read(request)
    known, own = _viewer(request, slug)

    def make() -> kept.Made:
        found = known or published_or_404(slug)
        at = paging.window(request, "posts")
        rows = _thread(request, found, own).select_related("author", "reply_to")
        page = paging.by_key(rows, ("-number",), at)
        body = {
            "items": [shapes.post(request, found, post) for post in page.items],
            "next": paging.next_link(request, at, page),
        }
        return body, [found.cache_tag, found.thread_tag], None

    if own:
        return kept.personal(make()[0])
    return kept.answer(request, make, _reader_check(known))


@router.get(
    "/articles/{slug}/posts/{number}/",
    response={200: schemas.Post, **ERRORS},
    url_name="article-post",
)
def post(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """One post of the discussion, as its thread shows it (to its author, held too)."""
    _read(request)
    known, own = _viewer(request, slug)

    def make() -> kept.Made:
        found = known or published_or_404(slug)
        shown = (
            _thread(request, found, own)
            .filter(number=number)
            .select_related("author", "reply_to")
            .first()
        )
        if shown is None:
            raise ApiError(404, "not_found", "The discussion has no such post.")
        return shapes.post(request, found, shown), [found.cache_tag, found.thread_tag], None

    if own:
        return kept.personal(make()[0])
    return kept.answer(request, make, _reader_check(known))


@router.get("/topics/", response={200: schemas.TopicList, **ERRORS}, url_name="topics")
def topic_list(request: HttpRequest) -> HttpResponse:
    """Every topic, by name."""
    _read(request)

    def make() -> kept.Made:
        at = paging.window(request, "topics")
        page = paging.by_key(Topic.objects.all(), ("name",), at)
        body = {
            "items": [shapes.topic(request, t) for t in page.items],
            "next": paging.next_link(request, at, page),
        }
        return body, [depends.TOPICS], None

    return kept.answer(request, make)


def _topic(slug: str) -> Topic:
    try:
        return get_object_or_404(Topic, slug=slug)
    except Http404:
        raise ApiError(404, "not_found", "No topic has this address.") from None


@router.get("/topics/{slug}/", response={200: schemas.Topic, **ERRORS}, url_name="topic")
def topic(request: HttpRequest, slug: str) -> HttpResponse:
    _read(request)

    def make() -> kept.Made:
        found = _topic(slug)
        return shapes.topic(request, found), [found.cache_tag], None

    return kept.answer(request, make)


@router.get(
    "/topics/{slug}/articles/",
    response={200: schemas.ArticleList, **ERRORS},
    url_name="topic-articles",
)
def topic_articles(request: HttpRequest, slug: str) -> HttpResponse:
    """The topic's published articles, newest first."""
    _read(request)

    def make() -> kept.Made:
        found = _topic(slug)
        rows = Article.objects.published().filter(topic=found)
        return _article_page(request, rows, [found.cache_tag])

    return kept.answer(request, make)


@router.get("/people/", response={200: schemas.PersonList, **ERRORS}, url_name="people")
def people(request: HttpRequest) -> HttpResponse:
    """The staff in bylines, by name."""
    _read(request)

    def make() -> kept.Made:
        at = paging.window(request, "people")
        page = paging.by_key(Person.objects.all(), ("name",), at)
        body = {
            "items": [shapes.person(request, p) for p in page.items],
            "next": paging.next_link(request, at, page),
        }
        return body, [depends.PEOPLE], None

    return kept.answer(request, make)


def _person(slug: str) -> Person:
    found = Person.objects.filter(slug=slug).first()
    if found is None:
        raise ApiError(404, "not_found", "No person has this address.")
    return found


@router.get("/people/{slug}/", response={200: schemas.Person, **ERRORS}, url_name="person")
def person(request: HttpRequest, slug: str) -> HttpResponse:
    _read(request)

    def make() -> kept.Made:
        found = _person(slug)
        return shapes.person(request, found), [found.cache_tag], None

    return kept.answer(request, make)


@router.get(
    "/people/{slug}/articles/",
    response={200: schemas.ArticleList, **ERRORS},
    url_name="person-articles",
)
def person_articles(request: HttpRequest, slug: str) -> HttpResponse:
    """The articles the person wrote, edited or reviewed, newest first."""
    _read(request)

    def make() -> kept.Made:
        found = _person(slug)
        return _article_page(request, articles.articles_of_person(found), [found.cache_tag])

    return kept.answer(request, make)


@router.get("/search/", response={200: schemas.SearchResults, **ERRORS}, url_name="search")
def search(request: HttpRequest, q: str = "") -> HttpResponse:
    """Published articles matching the words of `q`, best first."""
    _read(request)

    def make() -> kept.Made:
        at = paging.window(request, "search")
        number = int(at.after[0]) if at.after and isinstance(at.after[0], int) else 1
        results = search_index.search(q, number)
        found = results.page
        shown = [hit.article for hit in found.object_list] if found else []
        more = found is not None and found.has_next()
        page = paging.Page(shown, [number + 1] if more else None)
        body = {
            "q": results.text,
            "suggestion": results.suggestion,
            "items": [shapes.article_summary(request, a) for a in shown],
            "next": paging.next_link(request, at, page),
        }
        tags = [depends.ARTICLES, depends.TOPICS, depends.PEOPLE, *depends.of_articles(shown)]
        return body, tags, depends.until_lists_change()

    return kept.answer(request, make)


@router.get("/facts/", response={200: schemas.FactList, **ERRORS}, url_name="facts")
def fact_list(request: HttpRequest) -> HttpResponse:
    _read(request)

    def make() -> kept.Made:
        at = paging.window(request, "facts")
        page = paging.by_key(Fact.objects.select_related("topic"), ("pk",), at)
        body = {
            "items": [shapes.fact(request, f) for f in page.items],
            "next": paging.next_link(request, at, page),
        }
        return body, [depends.FACTS, depends.TOPICS], None

    return kept.answer(request, make)


@router.get("/facts/{slug}/", response={200: schemas.FactDetail, **ERRORS}, url_name="fact")
def fact(request: HttpRequest, slug: str) -> HttpResponse:
    """A fact, with the published articles it relates to."""
    _read(request)

    def make() -> kept.Made:
        found = Fact.objects.select_related("topic").filter(slug=slug).first()
        if found is None:
            raise ApiError(404, "not_found", "No fact has this address.")
        related = list(_listed(found.related.published()))
        body = {
            **shapes.fact(request, found),
            "related": [shapes.article_summary(request, a) for a in related],
        }
        tags = [depends.FACTS, depends.ARTICLES, depends.TOPICS, depends.PEOPLE]
        return body, tags, depends.until_lists_change()

    return kept.answer(request, make)


@router.get(
    "/events/{month}/{day}/", response={200: schemas.EventList, **ERRORS}, url_name="events"
)
def events(request: HttpRequest, month: int, day: int) -> HttpResponse:
    """What happened on a calendar day, oldest first, with the articles it links to."""
    _read(request)
    try:
        dt.date(2000, month, day)  # a leap year, so 29 February exists
    except (ValueError, OverflowError):
        raise ApiError(404, "not_found", "There is no such calendar day.") from None

    def make() -> kept.Made:
        at = paging.window(request, "events")
        rows = (
            Event.objects.filter(month=month, day=day)
            .select_related("topic")
            .prefetch_related(
                Prefetch("related", queryset=Article.objects.published().only("slug", "title"))
            )
        )
        page = paging.by_key(rows, ("year", "pk"), at)
        body = {
            "label": day_label(month, day),
            "items": [shapes.event(request, e) for e in page.items],
            "next": paging.next_link(request, at, page),
        }
        return body, [depends.FACTS, depends.ARTICLES], depends.until_lists_change()

    return kept.answer(request, make)
