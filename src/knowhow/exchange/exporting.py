"""Exporting the site's content to a folder that `knowhow import` reads back.

    DIR/articles/<slug>.md          every article, all statuses, front matter + Markdown
    DIR/images/<id>-<name>          the articles' lead images and the pictures in bodies
    DIR/discussions/<slug>.json     each discussion: its posts, numbered, removed or not
    DIR/topics.yaml, people.yaml    topics and the staff in bylines
    DIR/facts.yaml, events.yaml     "did you know" facts and "on this day" events

The same site always gives the same bytes: everything is written in a fixed order, with
times in UTC.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.db.models import QuerySet
from django.utils.text import slugify

from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion.models import Post
from knowhow.exchange.importing import EVENTS_FILE, FACTS_FILE, PEOPLE_FILE, TOPICS_FILE
from knowhow.facts.models import Event, Fact
from knowhow.images.models import Image

OWN_ENTRIES = (
    "articles", "images", "discussions", TOPICS_FILE, PEOPLE_FILE, FACTS_FILE, EVENTS_FILE,
)  # fmt: skip


class ExportRefused(Exception):
    """The folder cannot take an export; the message says why."""


@dataclass(frozen=True)
class ExportSummary:
    articles: int
    images: int
    discussions: int
    posts: int


def _utc(moment: dt.datetime | None) -> str | None:
    return moment.astimezone(dt.UTC).isoformat() if moment else None


def _dump_yaml(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def _prepare(folder: Path, replace: bool) -> None:
    if folder.exists() and not folder.is_dir():
        raise ExportRefused(f"{folder} is a file; export writes into a folder.")
    if folder.is_dir() and any(folder.iterdir()):
        others = sorted(p.name for p in folder.iterdir() if p.name not in OWN_ENTRIES)
        if not replace:
            raise ExportRefused(
                f"{folder} is not empty. Choose an empty folder, or pass --replace to "
                "replace an earlier export there."
            )
        if others:
            raise ExportRefused(
                f"{folder} holds files that are not an export ({', '.join(others[:5])}); "
                "--replace only replaces an earlier export."
            )
        for name in OWN_ENTRIES:
            path = folder / name
            if path.is_dir():
                shutil.rmtree(path)
            elif path.exists():
                path.unlink()
    for name in ("articles", "images", "discussions"):
        (folder / name).mkdir(parents=True, exist_ok=True)


def file_stem(article: Article) -> str:
    """The article's file name in an export: its slug, or, for a slug that is no plain
    slug (one written into the database by hand, say `../x`), a safe name made from it,
    so no file is ever written outside the export's folders."""
    stem = slugify(article.slug, allow_unicode=True)
    return stem if stem == article.slug else f"{stem or 'article'}-{article.pk}"


def _with_posts(articles: QuerySet[Article]) -> Iterator[tuple[Article, list[Post]]]:
    """Each article with its posts in order, read 200 articles at a time: memory holds one
    batch, never the whole site's posts, and the posts cost one query a batch."""
    batch: list[Article] = []

    def flush() -> Iterator[tuple[Article, list[Post]]]:
        by_article: dict[int, list[Post]] = {a.pk: [] for a in batch}
        posts = Post.objects.filter(article_id__in=list(by_article)).select_related("author")
        for post in posts.order_by("article_id", "number"):
            by_article[post.article_id].append(post)
        for article in batch:
            yield article, by_article.pop(article.pk)

    for article in articles.iterator(chunk_size=200):
        batch.append(article)
        if len(batch) == 200:
            yield from flush()
            batch = []
    yield from flush()


def _quiet(description: str, total: int | None) -> Callable[[int], None]:
    return lambda steps: None


def export_site(
    folder: Path,
    *,
    replace: bool = False,
    progress: Callable[[str, int | None], Callable[[int], None]] = _quiet,
) -> ExportSummary:
    """Write every article, its lead image and discussion, topics and people to folder."""
    _prepare(folder, replace)
    articles = (
        Article.objects.select_related(
            "topic", "written_by", "edited_by", "reviewed_by", "lead_image", "translation_of"
        )
        .prefetch_related("old_addresses")
        .order_by("slug")
    )
    images = discussions = posts_written = 0
    advance = progress("exporting articles", articles.count())
    for article, posts in _with_posts(articles):
        advance(1)
        image_path = None
        if article.lead_image is not None and article.lead_image.file:
            image_path = _write_picture(folder, article.lead_image)
            images += 1
        # The body's pictures go beside it too, named by the ids its references use.
        shown = Image.objects.in_bulk(article.body_picture_ids)
        pictures = {pk: _write_picture(folder, shown[pk]) for pk in sorted(shown)}
        images += len(pictures)
        stem = file_stem(article)
        (folder / "articles" / f"{stem}.md").write_text(
            _article_file(article, image_path, pictures), encoding="utf-8"
        )
        if posts:
            (folder / "discussions" / f"{stem}.json").write_text(
                _discussion_file(article, posts), encoding="utf-8"
            )
            discussions += 1
            posts_written += len(posts)
    topics = [
        {
            "name": t.name,
            "slug": t.slug,
            "description": t.description,
            "health": t.health,
            "review_months": t.review_months,
        }
        for t in Topic.objects.order_by("name")
    ]
    (folder / TOPICS_FILE).write_text(_dump_yaml(topics), encoding="utf-8")
    people = [
        {"name": p.name, "slug": p.slug, "bio": p.bio} for p in Person.objects.order_by("name")
    ]
    (folder / PEOPLE_FILE).write_text(_dump_yaml(people), encoding="utf-8")
    _write_facts(folder)
    return ExportSummary(
        articles=articles.count(), images=images, discussions=discussions, posts=posts_written
    )


def _write_facts(folder: Path) -> None:
    """Facts in the order they rotate in (by when they were added), events by date."""
    facts = [
        {
            "slug": fact.slug,
            "text": fact.text,
            "source": fact.source,
            "topic": fact.topic.name if fact.topic else None,
            "related": sorted(article.slug for article in fact.related.all()),
        }
        for fact in Fact.objects.select_related("topic").prefetch_related("related").order_by("pk")
    ]
    (folder / FACTS_FILE).write_text(_dump_yaml(facts), encoding="utf-8")
    events = [
        {
            "year": event.year,
            "month": event.month,
            "day": event.day,
            "text": event.text,
            "topic": event.topic.name if event.topic else None,
            "related": sorted(article.slug for article in event.related.all()),
        }
        for event in Event.objects.select_related("topic")
        .prefetch_related("related")
        .order_by("month", "day", "year", "text", "pk")
    ]
    (folder / EVENTS_FILE).write_text(_dump_yaml(events), encoding="utf-8")


def _write_picture(folder: Path, image: Image) -> dict[str, str]:
    """Copy a picture's file into the export's images folder; what an article file says of it."""
    name = f"{image.pk}-{Path(str(image.file.name)).name}"
    with image.file.open("rb") as source, (folder / "images" / name).open("wb") as out:
        shutil.copyfileobj(source, out)
    entry = {"file": f"../images/{name}", "alt": image.alt}
    if image.caption:
        entry["caption"] = image.caption
    if image.credit:
        entry["credit"] = image.credit
    return entry


def _article_file(article: Article, lead_image: dict[str, str] | None,
                  pictures: dict[int, dict[str, str]] | None = None) -> str:  # fmt: skip
    meta: dict[str, Any] = {
        "title": article.title,
        "slug": article.slug,
        "written_by": article.written_by.name,
        "edited_by": article.edited_by.name if article.edited_by else None,
        "last_modified": article.last_modified,
        "copyright": article.copyright_holder,
        "topic": article.topic.name,
        "status": article.status,
        "published": _utc(article.published_at),
        "summary": article.synopsis,
        "sources": article.sources,
        "reviewed_by": article.reviewed_by.name if article.reviewed_by else None,
        "reviewed_on": article.reviewed_on,
        "lead_image": lead_image,
        "pictures": pictures or None,
        "search_title": article.search_title,
        "search_description": article.search_description,
        # The addresses it had, each a permanent redirect to it.
        "old_addresses": sorted(old.slug for old in article.old_addresses.all()) or None,
        "language": article.language,
        # The original's address: an import links the translation to it again.
        "translation_of": article.translation_of.slug if article.translation_of else None,
    }
    meta = {key: value for key, value in meta.items() if value not in (None, "")}
    return f"---\n{_dump_yaml(meta)}---\n\n{article.body.strip()}\n"


def _discussion_file(article: Article, posts: list[Post]) -> str:
    entries = [
        {
            "number": post.number,
            "author": post.author.username if post.author else post.author_name,
            "date": _utc(post.created_at),
            "edited": _utc(post.edited_at),
            "status": post.status,
            "removed": post.is_tombstone,
            "text": post.body,
        }
        for post in posts
    ]
    data = {"article": article.slug, "posts": entries}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
