"""What search engines read: robots.txt and the sitemaps of every public page.

/sitemap.xml is an index of one sitemap per kind of page (articles, topics, people, facts,
the site's own lists), each paged as the sitemaps protocol asks, each with the date its
newest entry changed. Only published articles are listed, never a draft or one scheduled
for later, and only topics and people with a published article. Like every page, they are
kept by the page cache until what they list changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.contrib.sitemaps.views import x_robots_tag
from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from knowhow.articles.models import Article, Person, Topic, published_q
from knowhow.facts.models import Fact
from knowhow.links import absolute_url
from knowhow.pages import depends, documents

# Entries per sitemap page: well under the protocol's 50,000, so a page renders quickly.
PAGE_SIZE = 5000
# Pages search engines need not crawl: accounts, staff pages, forms that change posts
# (edit, delete, report, reply), machine endpoints. The print view stays crawlable: its
# noindex and its canonical link to the article can only be read if it is fetched.
DISALLOWED = [
    "/accounts/",
    "/admin/",
    "/moderation/",
    "/notifications/",
    "/readers/",
    "/articles/*/posts/",
    "/*?reply=",
    "/*&reply=",
    "/oembed",
    "/healthz",
    # Results pages are endless combinations of words; the articles they list are crawled.
    "/search/",
]


def _start_of(day: dt.date | None) -> dt.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _latest(*moments: dt.datetime | None) -> dt.datetime | None:
    known = [moment for moment in moments if moment is not None]
    return max(known) if known else None


def latest_article_change() -> dt.datetime | None:
    """When any published article last changed for readers (Article.modified_at)."""
    found = Article.objects.published().aggregate(
        published=Max("published_at"), modified=Max("last_modified")
    )
    return _latest(found["published"], _start_of(found["modified"]))


class OnSite(Sitemap):
    """Addresses on KNOWHOW_SITE_URL when it is set, else on the request's own host."""

    def get_protocol(self, protocol: str | None = None) -> str:
        if settings.SITE_URL:
            return urlsplit(settings.SITE_URL).scheme
        return str(super().get_protocol(protocol))

    def get_domain(self, site: Any = None) -> str:
        if settings.SITE_URL:
            return str(settings.SITE_URL).split("://", 1)[1]
        return str(super().get_domain(site))


class ArticleSitemap(OnSite):
    limit = PAGE_SIZE

    def items(self) -> QuerySet[Article]:
        fields = ("slug", "published_at", "last_modified", "status", "translation_of_id")
        return Article.objects.published().only(*fields).order_by("pk")

    def _urls(self, page: Any, protocol: str, domain: str) -> list[dict[str, Any]]:
        """The framework's entries, each article with translations also naming every
        language version (hreflang, the original as x-default): one query a page."""
        urls: list[dict[str, Any]] = super()._urls(page, protocol, domain)  # type: ignore[misc]
        items = [url["item"] for url in urls]
        # The page's originals that have translations (by the index on translation_of),
        # then the few groups involved: cheap whatever the number of articles.
        groups = {a.translation_of_id for a in items if a.translation_of_id} | set(
            Article.objects.filter(translation_of_id__in=[a.pk for a in items])
            .values_list("translation_of_id", flat=True)
            .distinct()
        )
        versions: dict[int, list[Article]] = {}
        found = (
            Article.objects.published()
            .filter(Q(pk__in=groups) | Q(translation_of_id__in=groups))
            .only("slug", "language", "translation_of_id")
            .order_by("language")
            if groups
            else []
        )
        for version in found:
            versions.setdefault(version.translation_group or 0, []).append(version)
        for url in urls:
            group = versions.get(url["item"].translation_group, [])
            if len(group) < 2:
                continue
            where = f"{protocol}://{domain}"
            url["alternates"] = [
                {"location": where + v.get_absolute_url(), "lang_code": v.language} for v in group
            ] + [
                {"location": where + v.get_absolute_url(), "lang_code": "x-default"}
                for v in group
                if v.translation_of_id is None
            ]
        return urls

    def lastmod(self, article: Article) -> dt.datetime | None:
        return article.modified_at

    def get_latest_lastmod(self) -> dt.datetime | None:
        return latest_article_change()


def _published_in(relation: str) -> Q:
    return published_q(f"{relation}__")


class TopicSitemap(OnSite):
    limit = PAGE_SIZE

    def items(self) -> QuerySet[Topic]:
        published = _published_in("articles")
        return (
            Topic.objects.annotate(
                newest=Max("articles__published_at", filter=published),
                modified=Max("articles__last_modified", filter=published),
            )
            .filter(newest__isnull=False)
            .order_by("pk")
        )

    def lastmod(self, topic: Any) -> dt.datetime | None:
        return _latest(topic.newest, _start_of(topic.modified))

    def get_latest_lastmod(self) -> dt.datetime | None:
        return latest_article_change()


def _newest(byline: str, field: str) -> Subquery:
    """The newest value of an article field among a person's published articles in one
    byline, as a subquery (two joins at once would multiply the rows)."""
    return Subquery(
        Article.objects.published()
        .filter(**{byline: OuterRef("pk")})
        .order_by()
        .values(byline)
        .annotate(newest=Max(field))
        .values("newest")
    )


class PersonSitemap(OnSite):
    limit = PAGE_SIZE

    def items(self) -> QuerySet[Person]:
        return (
            Person.objects.annotate(
                wrote=_newest("written_by", "published_at"),
                wrote_modified=_newest("written_by", "last_modified"),
                checked=_newest("edited_by", "published_at"),
                checked_modified=_newest("edited_by", "last_modified"),
            )
            .filter(Q(wrote__isnull=False) | Q(checked__isnull=False))
            .order_by("pk")
        )

    def lastmod(self, person: Any) -> dt.datetime | None:
        return _latest(
            person.wrote,
            person.checked,
            _start_of(person.wrote_modified),
            _start_of(person.checked_modified),
        )

    def get_latest_lastmod(self) -> dt.datetime | None:
        return latest_article_change()


class FactSitemap(OnSite):
    limit = PAGE_SIZE

    def items(self) -> QuerySet[Fact]:
        return Fact.objects.only("slug", "updated_at").order_by("pk")

    def lastmod(self, fact: Fact) -> dt.datetime:
        return fact.updated_at

    def get_latest_lastmod(self) -> dt.datetime | None:
        latest: dt.datetime | None = Fact.objects.aggregate(latest=Max("updated_at"))["latest"]
        return latest


class ListSitemap(OnSite):
    """The site's own pages: the home page and the lists of articles, topics and facts."""

    def __init__(self) -> None:
        self._articles = latest_article_change()
        self._facts = FactSitemap().get_latest_lastmod()

    def items(self) -> list[str]:
        return ["home", "article-list", "topic-list", "fact-list"]

    def location(self, name: str) -> str:
        return reverse(name)

    def lastmod(self, name: str) -> dt.datetime | None:
        return self._facts if name == "fact-list" else self._articles

    def get_latest_lastmod(self) -> dt.datetime | None:
        return _latest(self._articles, self._facts)


SITEMAPS: dict[str, type[Sitemap]] = {
    "pages": ListSitemap,
    "articles": ArticleSitemap,
    "topics": TopicSitemap,
    "people": PersonSitemap,
    "facts": FactSitemap,
}
# What the sitemaps show: the published articles, and the topics, people and facts.
SITEMAP_TAGS = [depends.ARTICLES, depends.TOPICS, depends.PEOPLE, depends.FACTS]


@dataclass(frozen=True)
class IndexEntry:
    """One sitemap page as the framework's index template shows it."""

    location: str
    last_mod: dt.datetime | None


def _kept(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    return documents.kept(request, response, SITEMAP_TAGS, depends.until_lists_change)


def _rendered(template: Any, context: Any) -> HttpResponse:
    """A sitemap rendered without the request: no context processor reads the visitor's
    session, so the answer is the same for everyone and says so (no Vary: Cookie)."""
    return HttpResponse(render_to_string(template, context), content_type="application/xml")


@require_safe
@x_robots_tag
def sitemap_index(request: HttpRequest) -> HttpResponse:
    listed = []
    for section, kind in SITEMAPS.items():
        sitemap = kind()
        location = absolute_url(request, reverse("sitemap-section", args=[section]))
        lastmod = sitemap.get_latest_lastmod()
        pages = sitemap.paginator.num_pages
        listed.append(IndexEntry(location, lastmod))
        listed += [IndexEntry(f"{location}?p={n}", lastmod) for n in range(2, pages + 1)]
    return _kept(request, _rendered("sitemap_index.xml", {"sitemaps": listed}))


@require_safe
def sitemap_section(request: HttpRequest, section: str) -> HttpResponse:
    if section not in SITEMAPS:
        raise Http404("No such sitemap")
    framework = sitemap_view(request, {section: SITEMAPS[section]}, section=section)
    response = _rendered(framework.template_name, framework.context_data)
    response["X-Robots-Tag"] = framework["X-Robots-Tag"]
    return _kept(request, response)


@require_safe
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), ""]
    lines.append(f"Sitemap: {absolute_url(request, reverse('sitemap'))}")
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    return documents.kept(request, response, [])
