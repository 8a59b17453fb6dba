"""Atom feeds of the newest articles: the whole site's, each topic's and each person's.

Each feed is a page like any other: the page cache keeps it until an article, a topic or a
person changes, or a scheduled article goes live. Entry ids are tag URIs made from the
site's host, the day the article was first saved and its number, so they stay the same
when its title, slug or dates change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from knowhow.articles.models import Article, Person, Topic
from knowhow.links import base_url, site_url
from knowhow.pages import depends, documents

FEED_SIZE = 30
SUMMARY_WORDS = 50


@dataclass(frozen=True)
class Source:
    """What a feed lists, and the site's address for this request (links are absolute)."""

    base: str
    feed_path: str
    topic: Topic | None = None
    person: Person | None = None


@dataclass(frozen=True)
class Entry:
    article: Article
    base: str


class ArticlesAtomFeed(Atom1Feed):
    """Atom with each article's editor as a <contributor>."""

    def add_item_elements(self, handler: Any, item: dict[str, Any]) -> None:
        super().add_item_elements(handler, item)
        if item.get("contributor_name"):
            handler.startElement("contributor", {})
            handler.addQuickElement("name", item["contributor_name"])
            handler.addQuickElement("uri", item["contributor_link"])
            handler.endElement("contributor")


def entry_id(article: Article) -> str:
    """A tag URI (RFC 4151) for the article that no later edit changes."""
    host = urlsplit(site_url()).hostname or "localhost"
    return f"tag:{host},{article.created_at:%Y-%m-%d}:article-{article.pk}"


class ArticlesFeed(Feed):
    feed_type = ArticlesAtomFeed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Source:
        return Source(base=base_url(request), feed_path=request.path)

    def title(self, source: Source) -> str:
        return _("%(site)s: newest articles") % {"site": settings.SITE_NAME}

    def subtitle(self, source: Source) -> str:
        return _("The newest articles on %(site)s.") % {"site": settings.SITE_NAME}

    def page_path(self, source: Source) -> str:
        return reverse("home")

    def link(self, source: Source) -> str:
        return source.base + self.page_path(source)

    def feed_url(self, source: Source) -> str:
        return source.base + source.feed_path

    def feed_guid(self, source: Source) -> str:
        return self.feed_url(source)

    def author_name(self, source: Source) -> str:
        return settings.SITE_NAME

    def author_link(self, source: Source) -> str:
        return source.base + reverse("home")

    def listed(self, source: Source) -> QuerySet[Article]:
        return Article.objects.published()

    def items(self, source: Source) -> list[Entry]:
        articles = self.listed(source).select_related("topic", "written_by", "edited_by")
        return [Entry(article, source.base) for article in articles[:FEED_SIZE]]

    def item_title(self, entry: Entry) -> str:
        return entry.article.title

    def item_link(self, entry: Entry) -> str:
        return entry.base + entry.article.get_absolute_url()

    def item_guid(self, entry: Entry) -> str:
        return entry_id(entry.article)

    def item_description(self, entry: Entry) -> str:
        # The summary goes out as type="html": plain text, escaped, reads as itself.
        return escape(entry.article.summary(SUMMARY_WORDS))

    def item_author_name(self, entry: Entry) -> str:
        return entry.article.written_by.name

    def item_author_link(self, entry: Entry) -> str:
        return entry.base + entry.article.written_by.get_absolute_url()

    def item_pubdate(self, entry: Entry) -> dt.datetime | None:
        return entry.article.published_at

    def item_updateddate(self, entry: Entry) -> dt.datetime | None:
        return entry.article.modified_at

    def item_categories(self, entry: Entry) -> list[str]:
        return [entry.article.topic.name]

    def item_extra_kwargs(self, entry: Entry) -> dict[str, Any]:
        editor = entry.article.edited_by
        if editor is None:
            return {}
        return {
            "contributor_name": editor.name,
            "contributor_link": entry.base + editor.get_absolute_url(),
        }


class TopicFeed(ArticlesFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Source:
        topic = get_object_or_404(Topic, slug=kwargs["slug"])
        return Source(base=base_url(request), feed_path=request.path, topic=topic)

    def title(self, source: Source) -> str:
        return f"{source.topic} · {settings.SITE_NAME}"

    def subtitle(self, source: Source) -> str:
        assert source.topic is not None
        return source.topic.description or _("The newest articles about %(topic)s.") % {
            "topic": source.topic
        }

    def page_path(self, source: Source) -> str:
        assert source.topic is not None
        return source.topic.get_absolute_url()

    def listed(self, source: Source) -> QuerySet[Article]:
        return Article.objects.published().filter(topic=source.topic)


class PersonFeed(ArticlesFeed):
    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Source:
        person = get_object_or_404(Person, slug=kwargs["slug"])
        return Source(base=base_url(request), feed_path=request.path, person=person)

    def title(self, source: Source) -> str:
        return _("Articles by %(name)s · %(site_name)s") % {
            "name": source.person,
            "site_name": settings.SITE_NAME,
        }

    def subtitle(self, source: Source) -> str:
        return _("The newest articles %(name)s wrote or edited.") % {"name": source.person}

    def page_path(self, source: Source) -> str:
        assert source.person is not None
        return source.person.get_absolute_url()

    def author_name(self, source: Source) -> str:
        assert source.person is not None
        return source.person.name

    def author_link(self, source: Source) -> str:
        return self.link(source)

    def listed(self, source: Source) -> QuerySet[Article]:
        person = source.person
        return Article.objects.published().filter(Q(written_by=person) | Q(edited_by=person))


# Every feed shows articles with their topics and bylines.
FEED_TAGS = [depends.ARTICLES, depends.TOPICS, depends.PEOPLE]


def _kept(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    return documents.kept(request, response, FEED_TAGS, depends.until_lists_change)


_site_feed, _topic_feed, _person_feed = ArticlesFeed(), TopicFeed(), PersonFeed()


@require_safe
def site_feed(request: HttpRequest) -> HttpResponse:
    return _kept(request, _site_feed(request))


@require_safe
def topic_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return _kept(request, _topic_feed(request, slug=slug))


@require_safe
def person_feed(request: HttpRequest, slug: str) -> HttpResponse:
    return _kept(request, _person_feed(request, slug=slug))
