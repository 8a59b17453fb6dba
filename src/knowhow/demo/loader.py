"""Load the bundled demo content: articles, staff, facts, events and discussions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from knowhow.articles.models import Article
from knowhow.articles.services import import_article_files, person_named, topic_named
from knowhow.discussion.services import import_post
from knowhow.facts.models import Event, Fact

DEMO_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class DemoSummary:
    articles: int
    facts: int
    events: int
    posts: int


def _yaml(name: str) -> Any:
    with (DEMO_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _articles_by_slug(slugs: list[str]) -> list[Article]:
    return list(Article.objects.filter(slug__in=slugs))


@transaction.atomic
def load_demo() -> DemoSummary:
    """Load or refresh the demo content; threads are only added to articles without posts."""
    import_article_files(sorted((DEMO_DIR / "articles").glob("*.md")))
    for entry in _yaml("topics.yaml") or []:
        topic = topic_named(entry["name"])
        topic.description = entry.get("description", "")
        topic.health = bool(entry.get("health", False))
        topic.save(update_fields=["description", "health"])
    for entry in _yaml("people.yaml") or []:
        person = person_named(entry["name"])
        person.bio = entry.get("bio", "")
        person.save(update_fields=["bio"])

    for entry in _yaml("facts.yaml") or []:
        fact, _ = Fact.objects.update_or_create(
            slug=slugify(" ".join(entry["text"].split()[:8]))[:80],
            defaults={
                "text": entry["text"],
                "source": entry.get("source", ""),
                "topic": topic_named(entry["topic"]) if entry.get("topic") else None,
            },
        )
        fact.related.set(_articles_by_slug(entry.get("related") or []))

    for entry in _yaml("events.yaml") or []:
        event = Event(
            year=entry["year"],
            month=entry["month"],
            day=entry["day"],
            text=entry["text"],
            topic=topic_named(entry["topic"]) if entry.get("topic") else None,
        )
        event.full_clean(exclude=["related"])
        if not Event.objects.filter(
            year=event.year, month=event.month, day=event.day, text=event.text
        ).exists():
            event.save()

    posts = _load_discussions(_yaml("discussions.yaml") or {})
    return DemoSummary(
        articles=Article.objects.count(),
        facts=Fact.objects.count(),
        events=Event.objects.count(),
        posts=posts,
    )


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
