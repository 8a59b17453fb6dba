"""Reads for the newsroom's pages: the desk's lists, an article's log and revisions, and
an article's state told in words."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.core.paginator import Page, Paginator
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.formats import date_format

from knowhow.articles.models import Article, ArticleEvent, Person, Revision, Topic
from knowhow.articles.revisions import Change, diff_contents
from knowhow.images.models import Image
from knowhow.newsroom.models import DeskNote
from knowhow.search import selectors as search

PER_PAGE = 20
# How many articles the editor's link picker offers for the words typed.
LINKS_OFFERED = 8
Stage = Article.Stage
Status = Article.Status


def page_of(items: QuerySet[Any], number: str | None, per_page: int = PER_PAGE) -> Page[Any]:
    return Paginator(items, per_page).get_page(number)


def notes_for(user: User) -> QuerySet[DeskNote]:
    """The steps this person was told of and has not marked read, newest first."""
    return DeskNote.objects.filter(user=user, seen_at__isnull=True).select_related(
        "event__article", "event__actor__person"
    )


def desk_articles() -> QuerySet[Article]:
    """Articles with their writer and when and how they last changed (the newest log entry),
    newest change first, and the newest request for changes; one query a page."""
    newest = ArticleEvent.objects.filter(article=OuterRef("pk")).order_by("-created_at", "-pk")
    asked = newest.filter(action=ArticleEvent.Action.CHANGES_REQUESTED)
    return (
        Article.objects.select_related("written_by", "topic")
        .annotate(
            last_change=Subquery(newest.values("created_at")[:1]),
            last_action=Subquery(newest.values("action")[:1]),
            changes_asked=Subquery(asked.values("note")[:1]),
        )
        .order_by("-last_change", "-pk")
    )


def articles_of(user: User) -> QuerySet[Article]:
    """The articles a staff member writes (under their byline)."""
    return desk_articles().filter(written_by__user=user)


def review_queue() -> QuerySet[Article]:
    return desk_articles().filter(stage=Stage.IN_REVIEW)


def drafts() -> QuerySet[Article]:
    return desk_articles().filter(status=Status.DRAFT).exclude(stage=Stage.IN_REVIEW)


def scheduled() -> QuerySet[Article]:
    return desk_articles().filter(status=Status.SCHEDULED).order_by("published_at", "pk")


def recently_published() -> QuerySet[Article]:
    return desk_articles().filter(status=Status.PUBLISHED).order_by("-published_at", "-pk")


def article_log(article: Article) -> QuerySet[ArticleEvent]:
    return article.log.select_related("actor__person", "revision")


def changes_asked(article: Article) -> ArticleEvent | None:
    """The editor's request the writer is working on, while changes are requested."""
    if article.stage != Stage.CHANGES_REQUESTED:
        return None
    return article_log(article).filter(action=ArticleEvent.Action.CHANGES_REQUESTED).first()


# What the people working on an article said to each other: notes, not steps.
CONVERSATION = (ArticleEvent.Action.COMMENTED, ArticleEvent.Action.CHANGES_REQUESTED)


def conversation(article: Article, limit: int = 20) -> list[ArticleEvent]:
    """The article's comments and requests for changes, newest first."""
    return list(article_log(article).filter(action__in=CONVERSATION)[:limit])


def revisions_of(article: Article) -> QuerySet[Revision]:
    return article.revisions.select_related("created_by__person").order_by("-number")


def name_of(user: User | None) -> str:
    """How the newsroom names a staff member: their byline, else their account name."""
    if user is None:
        return "The site"
    person = getattr(user, "person", None)
    return person.name if person is not None else user.get_username()


def state_in_words(article: Article) -> str:
    """What readers see of the article and where its newest revision is, as one sentence."""
    stage = {
        Stage.WRITING: "being written",
        Stage.IN_REVIEW: "in review",
        Stage.CHANGES_REQUESTED: "waiting for the changes an editor asked for",
        Stage.APPROVED: "approved, waiting to be published",
        Stage.DONE: "",
    }[Stage(article.stage)]
    if article.status == Status.PUBLISHED:
        if not stage:
            return "Published: readers see the newest revision."
        return f"Published; the newest revision is {stage} and readers see the previous one."
    if article.status == Status.SCHEDULED and article.published_at is not None:
        when = date_format(timezone.localtime(article.published_at), "j F Y, H:i")
        return f"Scheduled to be published on {when} ({timezone.get_current_timezone_name()})."
    return f"Draft, not on the site: {stage or 'ready'}."


FIELD_LABELS = {
    "title": "Title",
    "topic": "Topic",
    "synopsis": "Summary",
    "body": "Body",
    "sources": "Sources",
    "reviewed_by": "Reviewed By",
    "reviewed_on": "Review date",
    "lead_image": "Lead image",
    "copyright_holder": "Copyright holder",
    "search_title": "Search headline",
    "search_description": "Search description",
}


def readable(*contents: dict[str, Any]) -> list[dict[str, Any]]:
    """Revisions' contents with the topic, reviewer and image named instead of numbered, so
    a diff shows what a person chose (one query per kind, whatever the number)."""
    ids: dict[str, set[int]] = {"topic": set(), "reviewed_by": set(), "lead_image": set()}
    for content in contents:
        for key, found in ids.items():
            if content.get(key):
                found.add(int(content[key]))
    names: dict[str, dict[int, str]] = {
        "topic": dict(Topic.objects.filter(pk__in=ids["topic"]).values_list("pk", "name")),
        "reviewed_by": dict(
            Person.objects.filter(pk__in=ids["reviewed_by"]).values_list("pk", "name")
        ),
        "lead_image": {
            pk: f"{alt} (picture {pk})"
            for pk, alt in Image.objects.filter(pk__in=ids["lead_image"]).values_list("pk", "alt")
        },
    }
    shown = []
    for content in contents:
        copy = dict(content)
        for key, known in names.items():
            if copy.get(key):
                copy[key] = known.get(int(copy[key]), f"#{copy[key]} (deleted)")
        shown.append(copy)
    return shown


@dataclass(frozen=True)
class ShownDiff:
    """A field's word-level diff with the field's name as the editor form labels it."""

    label: str
    changes: list[Change]


def diff_for_people(before: dict[str, Any], after: dict[str, Any]) -> list[ShownDiff]:
    """The word-level diff of two contents, with chosen things named."""
    a, b = readable(before, after)
    return [ShownDiff(FIELD_LABELS.get(d.name, d.name), d.changes) for d in diff_contents(a, b)]


# The editor's pickers ------------------------------------------------------------------

PICTURES_SHOWN = 24
REVIEWERS_SUGGESTED = 200


@dataclass(frozen=True)
class Pictures:
    """The lead-image picker's choices: the newest pictures (matching the search, if any),
    with the chosen one always among them, and how many matched in all."""

    images: list[Image]
    matched: int
    query: str

    @property
    def more(self) -> int:
        return max(0, self.matched - PICTURES_SHOWN)


def pictures(query: str = "", chosen: Any = None) -> Pictures:
    """The newest PICTURES_SHOWN uploads whose alt text or caption hold every word of
    `query`, and the chosen picture first when it is not among them."""
    found = Image.objects.order_by("-created_at", "-pk")
    words = query.replace("\x00", " ").split()  # no database column can hold a NUL
    for word in words:
        found = found.filter(Q(alt__icontains=word) | Q(caption__icontains=word))
    images = list(found[:PICTURES_SHOWN])
    try:
        chosen_pk = int(chosen.pk if isinstance(chosen, Image) else chosen or 0)
    except (TypeError, ValueError):
        chosen_pk = 0
    if chosen_pk and all(image.pk != chosen_pk for image in images):
        current = Image.objects.filter(pk=chosen_pk).first()
        if current is not None:
            images.insert(0, current)
    return Pictures(images, found.count(), " ".join(words))


def known_reviewers() -> QuerySet[Person]:
    """People who reviewed an article before: the Reviewed By field suggests them."""
    return (
        Person.objects.filter(reviewed__isnull=False)
        .distinct()
        .order_by("name")[:REVIEWERS_SUGGESTED]
    )


def articles_to_link(text: str) -> list[Article]:
    """The published articles the editor's link picker offers for the words typed: those
    the site's search finds, best first, else those whose title holds every word (a word
    still being typed); with nothing typed, the newest published."""
    words = text.replace("\x00", " ").split()[:8]  # no database column can hold a NUL
    readers_see = Article.objects.published().select_related("topic")
    if not words:
        return list(readers_see.order_by("-published_at", "-pk")[:LINKS_OFFERED])
    found = search.search(" ".join(words))
    if found.page is not None and found.page.paginator.count:
        return [hit.article for hit in found.page.object_list][:LINKS_OFFERED]
    for word in words:
        readers_see = readers_see.filter(title__icontains=word)
    return list(readers_see.order_by("title", "pk")[:LINKS_OFFERED])
