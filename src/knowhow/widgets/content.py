"""What each widget shows, read through the articles' and facts' selectors, and the
page-cache tags and expiry that keep a served widget never stale."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from knowhow.articles import selectors as articles
from knowhow.articles.models import LISTS_TAG, TOPICS_TAG, Article, Topic
from knowhow.facts import selectors as facts
from knowhow.facts.models import FACTS_TAG, day_url
from knowhow.facts.selectors import end_of_today
from knowhow.images.models import Image
from knowhow.widgets.options import Options


class NotFound(Exception):
    """The widget asks for a topic or an article the site does not have (published)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Item:
    text: str
    path: str
    meta: str = ""
    summary: str = ""
    # The article card's picture (served from the site itself, as the frame's CSP wants).
    image: Image | None = None


@dataclass
class Widget:
    options: Options
    title: str
    items: list[Item]
    more_text: str
    more_path: str
    empty: str
    tags: list[str] = field(default_factory=list)
    expires: Callable[[], dt.datetime | None] = lambda: None


def _listed(article: Article, meta: str) -> Item:
    return Item(article.title, article.get_absolute_url(), meta=meta)


def _fact(options: Options) -> Widget:
    fact = facts.fact_for(timezone.localdate())
    items = [Item(fact.text, fact.get_absolute_url())] if fact else []
    return Widget(
        options,
        _("Did you know?"),
        items,
        _("More facts"),
        reverse("fact-list"),
        _("No facts yet."),
        [FACTS_TAG],
        end_of_today,
    )


def _on_this_day(options: Options) -> Widget:
    today = timezone.localdate()
    found = facts.on_this_day(today)
    items = []
    if found:
        event = found.event
        meta = f"{event.date_label} {event.year_label}"
        items = [Item(event.text, event.get_absolute_url(), meta=meta)]
    return Widget(
        options,
        _("On this day"),
        items,
        _("More on this day"),
        day_url(today.month, today.day),
        _("Nothing on this day yet."),
        [FACTS_TAG],
        end_of_today,
    )


def _latest(options: Options) -> Widget:
    listed = list(articles.recent_articles(options.count))
    return Widget(
        options,
        _("Latest articles"),
        [_listed(article, article.topic.name) for article in listed],
        _("All articles"),
        reverse("article-list"),
        _("No articles yet."),
        [LISTS_TAG, TOPICS_TAG, *(article.cache_tag for article in listed)],
        articles.next_publication,
    )


def _topic(options: Options) -> Widget:
    topic = Topic.objects.filter(slug=options.topic).first() if options.topic else None
    if topic is None:
        raise NotFound(
            _("There is no topic “%(name)s” here.") % {"name": options.topic}
            if options.topic
            else _("Choose a topic.")
        )
    listed = articles.topic_articles(topic, options.count)
    return Widget(
        options,
        _("Articles on %(topic)s") % {"topic": topic.name},
        [_listed(article, article.written_by.name) for article in listed],
        _("More on %(topic)s") % {"topic": topic.name},
        topic.get_absolute_url(),
        _("No articles on this topic yet."),
        [LISTS_TAG, topic.cache_tag, *(article.cache_tag for article in listed)],
        articles.next_publication,
    )


def _article(options: Options) -> Widget:
    article = articles.article_at_address(options.article) if options.article else None
    if article is None:
        raise NotFound(
            _("There is no article “%(name)s” here.") % {"name": options.article}
            if options.article
            else _("Choose an article.")
        )
    tags = [article.cache_tag, article.topic.cache_tag, article.written_by.cache_tag]
    if article.lead_image is not None:
        tags.append(article.lead_image.cache_tag)
    item = Item(
        article.title,
        article.get_absolute_url(),
        meta=_("%(topic)s · by %(name)s")
        % {"topic": article.topic.name, "name": article.written_by.name},
        summary=article.summary(),
        image=article.lead_image,
    )
    return Widget(options, article.topic.name, [item], _("Read the article"), item.path, "", tags)


BUILDERS: dict[str, Callable[[Options], Widget]] = {
    "fact": _fact,
    "on-this-day": _on_this_day,
    "latest": _latest,
    "topic": _topic,
    "article": _article,
}


def build(options: Options) -> Widget:
    """The widget these options ask for; NotFound for a topic or article there is not."""
    return BUILDERS[options.kind](options)
