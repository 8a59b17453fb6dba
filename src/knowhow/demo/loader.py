"""The bundled demo content: loaded through the exchange's importer (articles, topics,
people, facts and events), with the demo's own discussions; and removed again."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from knowhow import pagecache
from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion.models import Post
from knowhow.discussion.services import import_post
from knowhow.exchange.importing import import_paths
from knowhow.exchange.markdown import ArticleImportError, ArticleSource, read_article_file
from knowhow.facts.models import Event, Fact
from knowhow.images.models import Image
from knowhow.pagecache.versions import SITE_TAG

DEMO_DIR = Path(__file__).resolve().parent
# The article the demo's home page features, as an editor would choose one
# (articles.services.feature_article); kept when an editor has featured another.
DEMO_FEATURED = "why-is-the-sky-blue"


@dataclass(frozen=True)
class DemoSummary:
    articles: int
    facts: int
    events: int
    posts: int


def _yaml(name: str) -> Any:
    with (DEMO_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


@transaction.atomic
def load_demo() -> DemoSummary:
    """Load or refresh the demo content; threads are only added to articles without posts.

    The demo's folder is laid out as `knowhow export` writes a site (topics, people, facts
    and events beside the articles), so the exchange's importer reads it. The threads are
    the demo's own: their readers get accounts and their dates follow each article's.
    Raises ArticleImportError, and loads nothing, when any file is refused.
    """
    report = import_paths([DEMO_DIR])
    if report.refused:
        raise ArticleImportError("\n".join(outcome.refused for outcome in report.refused))
    posts = _load_discussions(_yaml("discussions.yaml") or {})
    _feature_one()
    return DemoSummary(
        articles=Article.objects.count(),
        facts=Fact.objects.count(),
        events=Event.objects.count(),
        posts=posts,
    )


def _feature_one() -> None:
    """Feature the demo's chosen article on the home page, unless some article already is."""
    if Article.objects.filter(featured_at__isnull=False).exists():
        return
    article = Article.objects.published().filter(slug=DEMO_FEATURED).first()
    if article is not None:
        article.featured_at = timezone.now()
        article.save(update_fields=["featured_at"])  # names the lists' tag: home is purged


def _load_discussions(data: dict[str, Any]) -> int:
    readers = {}
    for entry in data.get("readers", []):
        user, created = User.objects.get_or_create(username=entry["username"])
        if created:
            # Demo readers cannot sign in until someone sets a password for them.
            user.set_unusable_password()
            user.save()
        readers[user.username] = user
    now = timezone.now()
    count = 0
    for slug, thread in (data.get("threads") or {}).items():
        article = Article.objects.get(slug=slug)
        if article.posts.exists():
            continue
        start = timezone.make_aware(dt.datetime.combine(article.last_modified, dt.time(9)))
        for entry in thread:
            when = min(start + dt.timedelta(days=entry.get("days_after", 0), hours=count), now)
            import_post(
                article=article,
                body=entry["body"],
                author=readers[entry["author"]] if entry.get("author") else None,
                created_at=when,
            )
            count += 1
    return count


class DemoInUse(Exception):
    """Demo articles hold posts the demo did not write: removing them would lose those."""

    def __init__(self, posts: int) -> None:
        super().__init__(posts)
        self.posts = posts


@dataclass(frozen=True)
class DemoRemoval:
    articles: int
    posts: int
    facts: int
    events: int
    readers: int
    people: int
    topics: int


def _demo_sources() -> list[ArticleSource]:
    return [read_article_file(path) for path in sorted((DEMO_DIR / "articles").glob("*.md"))]


def _demo_posts(articles: list[Article], data: dict[str, Any]) -> tuple[set[int], int]:
    """(ids of the posts the demo wrote on its articles, how many other posts they hold)."""
    written = {
        (slug, entry.get("author") or "", " ".join(str(entry["body"]).split()))
        for slug, thread in (data.get("threads") or {}).items()
        for entry in thread
    }
    demo_ids, others = set(), 0
    posts = Post.objects.filter(article__in=articles).select_related("article", "author")
    for post in posts.only("pk", "body", "article__slug", "author__username"):
        author = post.author.username if post.author is not None else ""
        if (post.article.slug, author, " ".join(post.body.split())) in written:
            demo_ids.add(post.pk)
        else:
            others += 1
    return demo_ids, others


def _remove_pictures(ids: set[int]) -> None:
    """The demo's lead pictures that no remaining article shows, with their files (once the
    removal is committed, so a removal rolled back keeps them)."""
    used = set(
        Article.objects.filter(lead_image_id__in=ids).values_list("lead_image_id", flat=True)
    )
    gone = [image for image in Image.objects.filter(pk__in=ids - used)
            if not Article.objects.showing_picture(image.pk)]  # fmt: skip
    Image.objects.filter(pk__in=[image.pk for image in gone]).delete()
    # Files are named by their content: one another image holds too stays.
    shared = set(
        Image.objects.filter(file__in=[i.file.name for i in gone]).values_list("file", flat=True)
    )
    names = [name for i in gone if i.file.name not in shared for name in i.stored_names()]

    def delete_files() -> None:
        for name in names:
            default_storage.delete(name)

    transaction.on_commit(delete_files)


@transaction.atomic
def remove_demo(*, force: bool = False) -> DemoRemoval:
    """Remove exactly what the demo loaded: its articles with their discussions, its facts,
    events and readers, and the writers and topics nothing else uses. Raises DemoInUse when
    readers posted on demo articles, unless force (their posts go with the articles)."""
    sources = _demo_sources()
    data = _yaml("discussions.yaml") or {}
    articles = list(Article.objects.filter(slug__in=[s.slug for s in sources]))
    _, others = _demo_posts(articles, data)
    if others and not force:
        raise DemoInUse(others)
    posts = Post.objects.filter(article__in=articles).count()
    writers = {s.written_by for s in sources} | {s.edited_by for s in sources if s.edited_by}
    writers |= {entry["name"] for entry in _yaml("people.yaml") or []}
    topics = {s.topic for s in sources}

    fact_slugs, event_keys = [], Q(pk__in=[])
    for entry in _yaml("facts.yaml") or []:
        fact_slugs.append(Fact.slug_for(entry["text"]))
        topics |= {entry["topic"]} if entry.get("topic") else set()
    for entry in _yaml("events.yaml") or []:
        event_keys |= Q(
            year=entry["year"], month=entry["month"], day=entry["day"], text=entry["text"]
        )
        topics |= {entry["topic"]} if entry.get("topic") else set()
    facts, _ = Fact.objects.filter(slug__in=fact_slugs).delete()
    events, _ = Event.objects.filter(event_keys).delete()
    pictures = {article.lead_image_id for article in articles if article.lead_image_id}
    for article in articles:
        article.delete()  # one by one: each names the pages it changes
    _remove_pictures(pictures)

    # Demo readers never had a password or an address; one who has is someone's account now.
    usernames = [entry["username"] for entry in data.get("readers", [])]
    readers = User.objects.filter(username__in=usernames, email="", last_login__isnull=True)
    readers = readers.exclude(pk__in=Post.objects.filter(author__isnull=False).values("author"))
    gone_readers = 0
    for reader in readers:
        if not reader.has_usable_password():
            reader.delete()
            gone_readers += 1

    unused = Q(written__isnull=True, edited__isnull=True, reviewed__isnull=True)
    people, _ = Person.objects.filter(unused, name__in=writers).delete()
    free = Q(articles__isnull=True)
    free &= ~Q(pk__in=Fact.objects.filter(topic__isnull=False).values("topic"))
    free &= ~Q(pk__in=Event.objects.filter(topic__isnull=False).values("topic"))
    gone_topics, _ = Topic.objects.filter(free, name__in=topics).delete()
    pagecache.changed(SITE_TAG)  # lists, counts and "on this day" on every page
    return DemoRemoval(
        articles=len(articles),
        posts=posts,
        facts=facts,
        events=events,
        readers=gone_readers,
        people=people,
        topics=gone_topics,
    )
