"""What a page shows, as page-cache tags: each page names these, each write bumps them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from knowhow.articles.models import LISTS_TAG, PEOPLE_TAG, TOPICS_TAG, Article, Person, Topic
from knowhow.articles.selectors import next_publication
from knowhow.facts.models import FACTS_TAG

# The day's facts change when the day turns over: named here for the pages that show them.
from knowhow.facts.selectors import end_of_today as end_of_today
from knowhow.images.models import Image

# Lists of published articles (home, all articles, topics, people, facts' related lists).
ARTICLES = LISTS_TAG
TOPICS = TOPICS_TAG
# Any person in a byline (feeds and sitemaps list them all).
PEOPLE = PEOPLE_TAG
FACTS = FACTS_TAG


def of_article(article: Article) -> list[str]:
    """The article as its page and its print view show it: text, topic, bylines and
    reviewer."""
    tags = [
        article.cache_tag,
        # Its original's and translations' addresses and languages ("Read in", hreflang).
        article.translations_tag,
        Topic.tag_for(article.topic_id),
        Person.tag_for(article.written_by_id),
    ]
    if article.edited_by_id:
        tags.append(Person.tag_for(article.edited_by_id))
    if article.has_review:
        assert article.reviewed_by_id is not None
        tags.append(Person.tag_for(article.reviewed_by_id))
    return tags + of_lead_image(article) + of_body_pictures(article)


def of_lead_image(article: Article) -> list[str]:
    """The article's lead picture (its alt text, caption, copies), where it has one."""
    return [Image.tag_for(article.lead_image_id)] if article.lead_image_id else []


def of_body_pictures(article: Article) -> list[str]:
    """The library pictures in the article's body (their alt text, caption, copies)."""
    return [Image.tag_for(pk) for pk in article.body_picture_ids]


def of_articles(articles: Iterable[Article]) -> list[str]:
    """Articles in a list, each with its thumbnail."""
    return [tag for article in articles for tag in (article.cache_tag, *of_lead_image(article))]


def of_related(article: Article) -> list[str]:
    """The articles an article's "You might also Like" may show, known without a query."""
    return [Article.tag_for(int(entry[0])) for entry in article.related_scores]


def until_lists_change() -> dt.datetime | None:
    """The next moment a list of articles changes by itself (a scheduled publication)."""
    return next_publication()


def until_lists_change_or_tomorrow() -> dt.datetime:
    """For pages with lists and the day's facts: whichever changes first."""
    scheduled = next_publication()
    tomorrow = end_of_today()
    return min(scheduled, tomorrow) if scheduled else tomorrow
