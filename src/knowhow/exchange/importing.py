"""Importing files into the site: Markdown articles (with what `knowhow export` writes beside
them) and WordPress exports, each file in its own transaction.

A refused file leaves nothing behind and does not stop the others; importing the same file
again updates what changed and leaves the rest untouched.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import nh3
import yaml
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.text import slugify

from knowhow import markup
from knowhow.articles.models import Article, Person, Topic, free_slug
from knowhow.discussion.models import Post
from knowhow.discussion.services import import_post
from knowhow.exchange.markdown import (
    ArticleImportError,
    ArticleSource,
    ImportResult,
    OriginalMissing,
    PlainYamlLoader,
    read_article_file,
    save_article,
)
from knowhow.exchange.wordpress_html import article_body
from knowhow.exchange.wxr import WxrError, WxrItem, looks_like_wxr, read_wxr
from knowhow.facts.models import Event, Fact
from knowhow.images.models import Image
from knowhow.images.services import ImageRejected, holds_picture, upload_image

# Written by `knowhow export` at the top of its folder, read back by an import of it.
TOPICS_FILE = "topics.yaml"
PEOPLE_FILE = "people.yaml"
FACTS_FILE = "facts.yaml"
EVENTS_FILE = "events.yaml"
# The topic of a WordPress post or page filed under no category.
NO_CATEGORY = "General"


@dataclass
class FileOutcome:
    """What importing one file did, or why it was refused."""

    path: Path
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    posts: int = 0
    refused: str = ""
    # Refused only because the original it translates is not in yet: tried again last.
    waiting: bool = False
    # Each item skipped, or imported otherwise than the file had it, with the reason.
    notices: list[str] = field(default_factory=list)

    def count(self, result: ImportResult) -> None:
        if result.created:
            self.created += 1
        elif result.changed:
            self.updated += 1
        else:
            self.unchanged += 1

    def describe(self) -> str:
        if self.refused:
            return self.refused
        parts = [f"{self.created} imported", f"{self.updated} updated"]
        parts.append(f"{self.unchanged} unchanged")
        if self.posts:
            parts.append(f"{self.posts} post(s) added")
        return f"{self.path}: " + ", ".join(parts)


@dataclass
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)

    def total(self, name: str) -> int:
        return sum(getattr(outcome, name) for outcome in self.files)

    @property
    def refused(self) -> list[FileOutcome]:
        return [outcome for outcome in self.files if outcome.refused]

    def notices(self) -> list[str]:
        """Every item of every file skipped or changed on the way in, with the reason."""
        return [notice for outcome in self.files for notice in outcome.notices]

    def summary(self) -> str:
        return (
            f"{self.total('created')} imported, {self.total('updated')} updated, "
            f"{self.total('unchanged')} unchanged, {len(self.refused)} file(s) refused; "
            f"{self.total('posts')} post(s) added."
        )


def find_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and inside any folder given its Markdown and XML files, in name
    order (so the same folder always imports in the same order)."""
    found: list[Path] = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found.extend(
                sorted(p for p in path.rglob("*") if p.suffix in (".md", ".xml") and p.is_file())
            )
        else:
            found.append(path)
    return found


def import_paths(
    paths: Iterable[str | Path], *, progress: Callable[[FileOutcome], None] | None = None
) -> ImportReport:
    """Import files and folders; each file is one transaction, refused alone if bad."""
    paths = list(paths)
    report = ImportReport()

    def told(outcome: FileOutcome) -> None:
        report.files.append(outcome)
        if progress:
            progress(outcome)

    def folders(names: tuple[str, str], work: Callable[[Path], None]) -> None:
        """A folder's site files, in a transaction of their own; told only when refused."""
        for folder in (Path(p) for p in paths):
            if folder.is_dir() and any((folder / name).exists() for name in names):
                outcome = _guarded(folder, lambda outcome: work(folder))  # noqa: B023 - run here
                if outcome.refused:
                    told(outcome)

    folders((TOPICS_FILE, PEOPLE_FILE), _import_site_files)
    waiting = []
    for path in find_files(paths):
        outcome = import_file(path)
        if outcome.waiting:
            waiting.append(path)  # a translation before its original, in name order
        else:
            told(outcome)
    for path in waiting:
        told(import_file(path))
    # Facts and events name the articles they relate to, so they come after the articles.
    folders((FACTS_FILE, EVENTS_FILE), _import_facts)
    return report


def import_file(path: Path) -> FileOutcome:
    """Import one Markdown or WXR file in its own transaction."""
    if looks_like_wxr(path):
        return _guarded(path, lambda outcome: _import_wxr(path, outcome))
    return _guarded(path, lambda outcome: _import_markdown(path, outcome))


def _guarded(path: Path, work: Callable[[FileOutcome], Any]) -> FileOutcome:
    outcome = FileOutcome(path)
    try:
        with transaction.atomic():
            work(outcome)
    except OriginalMissing as exc:
        return FileOutcome(path, refused=str(exc), waiting=True)
    except ArticleImportError as exc:
        return FileOutcome(path, refused=str(exc))
    except WxrError as exc:
        where = f"{path}:{exc.line}" if exc.line else str(path)
        return FileOutcome(path, refused=f"{where}: {exc.reason}")
    except (ValidationError, ImageRejected, DatabaseError, ValueError) as exc:
        reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        return FileOutcome(path, refused=f"{path}: {reason}")
    return outcome


# Markdown, and what `knowhow export` writes beside it -------------------------------------


def _import_markdown(path: Path, outcome: FileOutcome) -> None:
    source = read_article_file(path)
    article = Article.objects.filter(slug=source.slug).select_related("lead_image").first()
    image = _lead_image(path, source.lead_image, article.lead_image if article else None)
    source = _with_body_pictures(path, source)
    result = save_article(source, lead_image=image)
    outcome.count(result)
    discussion = _discussion_file(path, source.slug)
    if discussion is not None:
        outcome.posts += _import_discussion(discussion, result.article)


def _lead_image(path: Path, value: Any, current: Image | None) -> Image | None:
    """The image a `lead_image` field names: the article's current one if it is the same
    picture with the same words, else a new image from the file."""
    if value is None:
        return None
    if isinstance(value, str):
        value = {"file": value}
    if not isinstance(value, dict) or not value.get("file"):
        raise ArticleImportError(f"{path}: lead_image must name its file (file: ../images/...)")
    file = (path.parent / str(value["file"])).resolve()
    try:
        data = file.read_bytes()
    except OSError:
        raise ArticleImportError(f"{path}: lead_image: no picture at {file}") from None
    alt = str(value.get("alt") or "").strip()
    caption, credit = str(value.get("caption") or ""), str(value.get("credit") or "")
    if current is not None and (current.alt, current.caption, current.credit) == (
        alt,
        caption,
        credit,
    ):
        try:
            with current.file.open("rb") as handle:
                same = _digest(handle.read()) == _digest(data)
        except OSError:
            same = False
        # The site stores its own master of a file (re-encoded, without metadata).
        if same or holds_picture(current, data):
            return current
    try:
        return upload_image(
            file=SimpleUploadedFile(file.name, data),
            alt=alt,
            by=None,
            caption=caption,
            credit=credit,
        )
    except ImageRejected as exc:
        raise ArticleImportError(f"{path}: lead_image: {exc}") from None


def _with_body_pictures(path: Path, source: ArticleSource) -> ArticleSource:
    """The source with the pictures its body shows in this site's library: each found (the
    same picture, same words, under the id the file names) or uploaded from its file, and
    the body's references pointed at their ids here."""
    if not source.pictures:
        return source
    if not isinstance(source.pictures, dict):
        raise ArticleImportError(f"{path}: pictures must map each picture id to its file")
    # Imported before, the article's body shows them here in the same order, under new ids.
    before = Article.objects.filter(slug=source.slug).values_list("body", flat=True).first()
    place = dict(
        zip(markup.picture_ids(source.body), markup.picture_ids(before or ""), strict=False)
    )
    here: dict[int, int] = {}
    for named, value in source.pictures.items():
        if not str(named).isdigit():
            raise ArticleImportError(f"{path}: pictures: {named!r} is not a picture id")
        known = Image.objects.filter(pk=place.get(int(named), int(named))).first()
        picture = _lead_image(path, value, known)
        assert picture is not None
        here[int(named)] = picture.pk
    return replace(source, body=markup.renumber_pictures(source.body, here))


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _discussion_file(path: Path, slug: str) -> Path | None:
    for candidate in (
        path.with_suffix(".json"),
        path.parent.parent / "discussions" / f"{slug}.json",
    ):
        if candidate.is_file():
            return candidate
    return None


def _import_discussion(path: Path, article: Article) -> int:
    """Posts from an exported discussion, keeping their numbers; numbers the article already
    has are left alone, so importing again adds nothing."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise ArticleImportError(f"{path}:{exc.lineno}: not JSON ({exc.msg})") from None
    posts = data.get("posts") if isinstance(data, dict) else None
    if not isinstance(posts, list):
        raise ArticleImportError(f"{path}: expected an object with a list of posts")
    have = set(Post.objects.filter(article=article).values_list("number", flat=True))
    statuses = set(Post.Status.values)
    added = 0
    for index, entry in enumerate(posts, start=1):
        where = f"{path}: post {index}"
        if not isinstance(entry, dict):
            raise ArticleImportError(f"{where}: not an object")
        try:
            number = int(entry["number"])
            created_at = dt.datetime.fromisoformat(str(entry["date"]))
            edited = entry.get("edited")
            edited_at = dt.datetime.fromisoformat(str(edited)) if edited else None
        except (KeyError, TypeError, ValueError) as exc:
            raise ArticleImportError(f"{where}: needs a number and a date ({exc})") from None
        if number in have:
            continue
        status = str(entry.get("status") or "")
        if status not in statuses:
            status = Post.Status.REMOVED if entry.get("removed") else Post.Status.PUBLISHED
        try:
            import_post(
                article=article,
                body=str(entry.get("text") or ""),
                author=None,
                author_name=str(entry.get("author") or ""),
                created_at=_aware(created_at),
                edited_at=_aware(edited_at) if edited_at else None,
                number=number,
                status=status,
                import_key=f"export:{number}",
            )
        except ValidationError as exc:
            raise ArticleImportError(f"{where} (Post {number}): {' '.join(exc.messages)}") from None
        have.add(number)
        added += 1
    return added


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _import_site_files(folder: Path) -> None:
    """Topics and people as an export wrote them: descriptions, bios, addresses."""
    for entry in _yaml_list(folder / TOPICS_FILE):
        topic = Topic.objects.filter(name__iexact=entry["name"]).first() or Topic(
            name=entry["name"], slug=free_slug(Topic, entry.get("slug") or entry["name"])
        )
        topic.description = str(entry.get("description") or "")
        topic.health = bool(entry.get("health", False))
        topic.review_months = entry.get("review_months")
        topic.save()
    for entry in _yaml_list(folder / PEOPLE_FILE):
        person = Person.objects.filter(name=entry["name"]).first() or Person(
            name=entry["name"], slug=free_slug(Person, entry.get("slug") or entry["name"])
        )
        person.bio = str(entry.get("bio") or "")
        person.save()


def _import_facts(folder: Path) -> None:
    """Facts (in the order they rotate in) and events, as an export wrote them; one already
    here (a fact by its address, an event by its date and words) is updated, not doubled."""
    for entry in _yaml_list(folder / FACTS_FILE, key="text"):
        slug = str(entry.get("slug") or Fact.slug_for(str(entry["text"])))[:80]
        fact = Fact.objects.filter(slug=slug).first() or Fact(slug=slug)
        fact.text, fact.source = str(entry["text"]), str(entry.get("source") or "")
        fact.topic = _topic_or_none(entry.get("topic"))
        fact.full_clean(exclude=["related"])
        fact.save()
        fact.related.set(Article.objects.filter(slug__in=entry.get("related") or []))
    for entry in _yaml_list(folder / EVENTS_FILE, key="text"):
        try:
            when = {name: int(entry[name]) for name in ("year", "month", "day")}
        except (KeyError, TypeError, ValueError):
            raise ArticleImportError(
                f"{folder / EVENTS_FILE}: event {entry['text']!r} needs a year, month and day"
            ) from None
        event = Event.objects.filter(text=entry["text"], **when).first() or Event(
            text=str(entry["text"]), **when
        )
        event.topic = _topic_or_none(entry.get("topic"))
        event.full_clean(exclude=["related"])
        event.save()
        event.related.set(Article.objects.filter(slug__in=entry.get("related") or []))


def _topic_or_none(name: Any) -> Topic | None:
    if not name:
        return None
    return Topic.objects.filter(name__iexact=str(name)).first() or Topic.objects.create(
        name=str(name), slug=free_slug(Topic, str(name))
    )


def _yaml_list(path: Path, key: str = "name") -> list[dict[str, Any]]:
    if not path.exists():
        return []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=PlainYamlLoader) or []  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ArticleImportError(f"{where}: not YAML") from None
    if not isinstance(data, list) or not all(isinstance(e, dict) and e.get(key) for e in data):
        raise ArticleImportError(f"{path}: expected a list of entries, each with a {key}")
    return data


# WordPress -------------------------------------------------------------------------------


def _import_wxr(path: Path, outcome: FileOutcome) -> None:
    site = read_wxr(path)
    for skipped in site.skipped:
        outcome.notices.append(f"{path}:{skipped.line}: {skipped.item}: {skipped.reason}")
    slugs: dict[str, WxrItem] = {}
    for item in site.items:
        named = f"{path}:{item.line}: {item.kind} {item.id or '?'} “{item.title}”"
        changes = list(item.changes)
        slug = _slug(item)
        if slug in slugs:  # two posts with one address: the later keeps its id in it
            changes.append(f"its address “{slug}” is another's, so it is “{slug}-{item.id}”")
            slug = f"{slug}-{item.id}"[:200]
        slugs[slug] = item
        outcome.notices += [f"{named}: {change}" for change in changes]
        author = site.authors.get(item.author) or item.author
        if not author:
            raise WxrError(item.line, f"{item.kind} {item.title!r} has no author")
        body = article_body(item.content, alts=site.alt_texts)
        source = ArticleSource(
            path=path,
            title=item.title[:200],
            slug=slug,
            written_by=author[:150],
            edited_by=None,
            last_modified=item.modified or timezone.localdate(),
            copyright="",
            topic=(item.topic or NO_CATEGORY)[:100],
            status={
                "published": Article.Status.PUBLISHED,
                "scheduled": Article.Status.SCHEDULED,
            }.get(item.status, Article.Status.DRAFT),
            published=item.date if item.status != "draft" else None,
            body=body,
            summary=_plain(item.excerpt),
            note=" ".join(f"Imported otherwise: {change}." for change in item.changes),
        )
        try:
            result = save_article(source)
        except ArticleImportError as refused:
            raise WxrError(item.line, str(refused).removeprefix(f"{path}: ")) from None
        outcome.count(result)
        outcome.posts += _import_comments(item, result.article)


def _slug(item: WxrItem) -> str:
    """The post's address in WordPress (percent-decoded, as plain letters), else its title."""
    slug = slugify(item.slug) or slugify(item.title) or f"{item.kind}-{item.id}"
    return slug[:200]


def _import_comments(item: WxrItem, article: Article) -> int:
    """Approved comments as numbered posts, oldest first; ones imported before are skipped."""
    keys = [f"wxr:{comment.id}" for comment in item.comments]
    have = set(
        Post.objects.filter(article=article, import_key__in=keys).values_list(
            "import_key", flat=True
        )
    )
    added = 0
    for comment, key in zip(item.comments, keys, strict=True):
        text = comment_text(comment.text)
        if key in have or not text:  # a comment of only a picture or markup says nothing here
            continue
        try:
            import_post(
                article=article,
                body=text,
                author=None,
                author_name=comment.author,
                created_at=comment.date,
                import_key=key,
                # A protected post's comments were for those with its password: kept, unseen.
                status=Post.Status.REJECTED if item.protected else Post.Status.PUBLISHED,
            )
        except ValidationError as exc:
            raise WxrError(
                comment.line, f"comment {comment.id}: {' '.join(exc.messages)}"
            ) from None
        added += 1
    return added


def _plain(text: str) -> str:
    return " ".join(html.unescape(nh3.clean(text, tags=set())).split())


_LINK = re.compile(r"<a\b[^>]*\bhref\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a>", re.I | re.DOTALL)


def _link(match: re.Match[str]) -> str:
    """A comment's link in the posts' Markdown; only its words when it leads nowhere safe."""
    words, address = _plain(match.group(2)), html.unescape(match.group(1)).strip()
    if not re.match(r"(?i)(https?:|mailto:)", address):
        return words
    return f"[{words}]({address})"


def comment_text(content: str) -> str:
    """A WordPress comment's HTML as a post's text: links, emphasis and paragraphs kept in
    the posts' Markdown, every other tag dropped."""
    text = content.replace("\r\n", "\n")
    text = _LINK.sub(_link, text)
    text = re.sub(r"</?(?:strong|b)\s*>", "**", text, flags=re.I)
    text = re.sub(r"</?(?:em|i)\s*>", "*", text, flags=re.I)
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.I)
    text = re.sub(r"</p\s*>", "\n\n", text, flags=re.I)
    text = html.unescape(nh3.clean(text, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()
