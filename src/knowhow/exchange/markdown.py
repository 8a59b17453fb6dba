"""The Markdown reader: an article file with YAML front matter, read and checked
(read_article_file), then saved (save_article).

save_article writes the article's row itself, as the file has it, then records the import
as a revision through knowhow.articles.services.record_import: it is one of the article's
writers that module's docstring names."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import frontmatter
import yaml
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify

from knowhow import languages
from knowhow.articles import translations
from knowhow.articles.models import (
    REVIEW_IN_FUTURE,
    Article,
    ArticleEvent,
    OldAddress,
    site_language,
    validate_review,
)
from knowhow.articles.services import person_named, record_import, topic_named

REQUIRED_FIELDS = ("title", "written_by", "last_modified", "topic")
# The fields `knowhow export` writes besides these: status, the summary, sources, the
# expert review, the lead image and the pictures the body shows (resolved by the exchange
# app, which has their files), the search title and description, and the old addresses that
# lead to the article.
OPTIONAL_FIELDS = (
    "slug", "edited_by", "copyright", "status", "published", "summary", "sources",
    "reviewed_by", "reviewed_on", "lead_image", "pictures", "search_title",
    "search_description", "old_addresses", "language", "translation_of",
)  # fmt: skip
STATUSES = {
    "published": Article.Status.PUBLISHED,
    "draft": Article.Status.DRAFT,
    "scheduled": Article.Status.SCHEDULED,
}


class ArticleImportError(Exception):
    """A file that cannot be imported, with the file name and the reason."""


class OriginalMissing(ArticleImportError):
    """A translation whose original is not on the site (yet: an import of a folder tries
    it again once every other file is in)."""


class PlainYamlLoader(yaml.SafeLoader):
    """YAML without anchors and aliases (`&name`, `*name`): an imported file names each
    value once, and a few nested aliases could otherwise unfold into billions of items."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "aliases (*name) are not accepted in an imported file",
                event.start_mark,
            )  # fmt: skip
        return super().compose_node(parent, index)


class _FrontMatter(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs: object) -> Any:
        return yaml.load(fm, Loader=PlainYamlLoader)  # noqa: S506 - a safe loader


@dataclass(frozen=True)
class ArticleSource:
    """An article as read from one file, checked and ready to save."""

    path: Path
    title: str
    slug: str
    written_by: str
    edited_by: str | None
    last_modified: dt.date
    copyright: str
    topic: str
    status: str
    published: dt.date | dt.datetime | None
    body: str
    summary: str = ""
    sources: str = ""
    reviewed_by: str | None = None
    reviewed_on: dt.date | None = None
    lead_image: Any = None
    # The body's library pictures by the id its references use: {id: {file, alt, ...}}.
    pictures: Any = None
    # For the newsroom's log: what the import changed of it, and why.
    note: str = ""
    search_title: str = ""
    search_description: str = ""
    # Addresses the article had, each kept as a permanent redirect, with its line in the file.
    old_addresses: tuple[tuple[str, int], ...] = ()
    # The language its words are in ("" is the site's), and the address of its original.
    language: str = ""
    translation_of: str = ""


@dataclass(frozen=True)
class ImportResult:
    article: Article
    created: bool
    # False when the file held nothing new: the article was left untouched.
    changed: bool = True


def _as_date(path: Path, field: str, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str | int):
        raise ArticleImportError(
            f"{path}: {field} must be a date as YYYY-MM-DD; got {type(value).__name__}"
        )
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ArticleImportError(
            f"{path}: {field} must be a date as YYYY-MM-DD; got {value!r}"
        ) from None


def _as_text(path: Path, field: str, value: Any, required: bool) -> str:
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ArticleImportError(f"{path}: {field} is empty")
        return ""
    if not isinstance(value, str | int | float):
        raise ArticleImportError(f"{path}: {field} must be text; got {type(value).__name__}")
    return str(value).strip()


def read_article_file(path: Path) -> ArticleSource:
    """Parse and check one Markdown file with front matter, or raise ArticleImportError."""
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ArticleImportError(f"{path}: no such file") from None
    except UnicodeDecodeError as exc:
        raise ArticleImportError(
            f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})"
        ) from None
    except OSError as exc:
        raise ArticleImportError(f"{path}: cannot be read ({exc.strerror})") from None
    if not raw.lstrip("\ufeff").startswith("---"):
        raise ArticleImportError(f"{path}:1: no front matter (the file must start with '---')")
    try:
        post = frontmatter.loads(raw, handler=_FrontMatter())
    except yaml.YAMLError as exc:
        # The context mark is where the broken construct began, the problem mark where
        # the parser gave up; the first is the line to fix.
        mark = getattr(exc, "context_mark", None) or getattr(exc, "problem_mark", None)
        # The YAML handed to the parser starts with the newline after the opening "---".
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        problem = getattr(exc, "problem", None) or str(exc)
        raise ArticleImportError(f"{where}: bad front matter: {problem}") from None
    meta = post.metadata
    if not isinstance(meta, dict) or not meta:
        raise ArticleImportError(f"{path}: front matter is empty or not a mapping of fields")
    missing = [field for field in REQUIRED_FIELDS if field not in meta]
    if missing:
        raise ArticleImportError(f"{path}: front matter lacks {', '.join(missing)}")
    unknown = sorted(set(meta) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        raise ArticleImportError(f"{path}: unknown front matter field(s): {', '.join(unknown)}")
    title = _as_text(path, "title", meta["title"], True)
    slug = slugify(_as_text(path, "slug", meta.get("slug"), False) or title)
    if not slug:
        raise ArticleImportError(f"{path}: slug is empty after removing punctuation")
    status = _as_text(path, "status", meta.get("status"), False).lower() or "published"
    if status not in STATUSES:
        raise ArticleImportError(
            f"{path}: status must be published, draft or scheduled; got {status!r}"
        )
    if status == "scheduled" and meta.get("published") is None:
        raise ArticleImportError(f"{path}: a scheduled article needs its published date and time")
    reviewed_by = _as_text(path, "reviewed_by", meta.get("reviewed_by"), False) or None
    reviewed_on = meta.get("reviewed_on")
    reviewed = _as_date(path, "reviewed_on", reviewed_on) if reviewed_on else None
    try:
        validate_review(reviewed_by, reviewed)
    except ValidationError as refused:
        if refused.code == REVIEW_IN_FUTURE:
            raise ArticleImportError(
                f"{path}: reviewed_on {reviewed} is in the future; a review date says when the "
                "review happened"
            ) from None
        raise ArticleImportError(
            f"{path}: an expert review needs both reviewed_by and reviewed_on"
        ) from None
    search_title = _as_text(path, "search_title", meta.get("search_title"), False)
    search_description = _as_text(path, "search_description", meta.get("search_description"), False)
    for name, value in (("search_title", search_title), ("search_description", search_description)):
        longest = getattr(Article._meta.get_field(name), "max_length", 0)
        if len(value) > longest:
            raise ArticleImportError(
                f"{path}:{_line_of(raw, name)}: {name} is {len(value)} characters long; "
                f"{longest} at most"
            )
    body = post.content.strip()
    if not body:
        raise ArticleImportError(f"{path}: the article has no body below its front matter")
    language = languages.normal(_as_text(path, "language", meta.get("language"), False))
    if language and not languages.known(language):
        raise ArticleImportError(
            f"{path}:{_line_of(raw, 'language')}: language {language!r} is not a language code "
            "the site knows; use one such as en, es, fr, pt-br or ar"
        )
    original = slugify(_as_text(path, "translation_of", meta.get("translation_of"), False))
    published = meta.get("published")
    return ArticleSource(
        path=path,
        title=title,
        slug=slug[:200],
        written_by=_as_text(path, "written_by", meta["written_by"], True),
        edited_by=_as_text(path, "edited_by", meta.get("edited_by"), False) or None,
        last_modified=_as_date(path, "last_modified", meta["last_modified"]),
        copyright=_as_text(path, "copyright", meta.get("copyright"), False),
        topic=_as_text(path, "topic", meta["topic"], True),
        status=STATUSES[status],
        published=_as_moment(path, published) if published is not None else None,
        body=body,
        summary=_as_text(path, "summary", meta.get("summary"), False),
        sources=_as_lines(path, meta.get("sources")),
        reviewed_by=reviewed_by,
        reviewed_on=reviewed,
        lead_image=meta.get("lead_image"),
        pictures=meta.get("pictures"),
        search_title=search_title,
        search_description=search_description,
        old_addresses=_old_addresses(path, raw, meta.get("old_addresses")),
        language=language,
        translation_of=original,
    )


def _line_of(raw: str, key: str, value: str = "") -> int:
    """The file's line where the front matter gives `key`, or, with `value`, the first line
    from there holding it (an entry of a list); 1 when it cannot be told."""
    lines = raw.splitlines()
    start = next((n for n, line in enumerate(lines) if line.startswith(f"{key}:")), None)
    if start is None:
        return 1
    for n in range(start, len(lines)):
        if lines[n].strip() == "---":
            break
        if value in lines[n]:
            return n + 1
    return start + 1


def _old_addresses(path: Path, raw: str, value: Any) -> tuple[tuple[str, int], ...]:
    """The old addresses a file lists, as slugs, each with its line in the file."""
    if value is None:
        return ()
    if not isinstance(value, list):
        where = f"{path}:{_line_of(raw, 'old_addresses')}"
        raise ArticleImportError(f"{where}: old_addresses must be a list of addresses")
    found: dict[str, int] = {}
    for entry in value:
        text = _as_text(path, "old_addresses", entry, True)
        slug = slugify(text)[: Article._meta.get_field("slug").max_length or 200]
        line = _line_of(raw, "old_addresses", text)
        if not slug:
            raise ArticleImportError(
                f"{path}:{line}: old address {text!r} has no letters or digits"
            )
        found.setdefault(slug, line)
    return tuple(found.items())


def _new_old_addresses(source: ArticleSource, article: Article) -> list[str]:
    """The old addresses of the source the article does not keep yet; an address that is,
    or leads to, another article refuses the file, naming its line."""
    if not source.old_addresses:
        return []
    slugs = [slug for slug, _ in source.old_addresses]
    theirs = OldAddress.objects.filter(slug__in=slugs).select_related("article")
    owners = {old.slug: old.article for old in theirs}
    owners.update({a.slug: a for a in Article.objects.filter(slug__in=slugs)})
    new = []
    for slug, line in source.old_addresses:
        owner = owners.get(slug)
        if slug == source.slug:
            raise ArticleImportError(
                f"{source.path}:{line}: the old address {slug!r} is the article's own address"
            )
        if owner is not None and owner.pk != article.pk:
            raise ArticleImportError(
                f"{source.path}:{line}: the old address {slug!r} already leads to “{owner.title}”"
                " on this site, and one address leads to one article; take it off the file's "
                "old_addresses, or give that article's address back first. Nothing of this "
                "file was imported."
            )
        if owner is None:
            new.append(slug)
    return new


def _as_moment(path: Path, value: Any) -> dt.date | dt.datetime:
    """A publication date, or date and time (as `knowhow export` writes it)."""
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, str) and ("T" in value or " " in value.strip()):
        try:
            moment = dt.datetime.fromisoformat(value.strip())
        except ValueError:
            raise ArticleImportError(
                f"{path}: published must be a date or a date and time; got {value!r}"
            ) from None
        return moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    return _as_date(path, "published", value)


def _as_lines(path: Path, value: Any) -> str:
    """Sources: one per line, written as a list or as lines of text."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "\n".join(_as_text(path, "sources", item, True) for item in value)
    return _as_text(path, "sources", value, False)


def _midday(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


# What an import sets; an article whose values are all the same is left untouched.
_IMPORTED = (
    "title", "topic_id", "written_by_id", "edited_by_id", "copyright_holder", "body",
    "last_modified", "status", "published_at", "synopsis", "sources", "reviewed_by_id",
    "reviewed_on", "lead_image_id", "search_title", "search_description", "language",
    "translation_of_id",
)  # fmt: skip


def _last_changed_by_import(article: Article) -> bool:
    """Whether the article's newest revision is one an import made (or it has none yet)."""
    latest = article.latest_revision_id
    return (
        latest is None
        or ArticleEvent.objects.filter(
            article=article, revision_id=latest, action=ArticleEvent.Action.IMPORTED
        ).exists()
    )


def _set_language(source: ArticleSource, article: Article) -> None:
    """The file's language and original (articles.translations' rules), or a refusal."""
    article.language = source.language or site_language()
    original = None
    if source.translation_of:
        original = Article.objects.filter(slug=source.translation_of).only("pk").first()
        if original is None:
            raise OriginalMissing(
                f"{source.path}: translation_of names {source.translation_of!r}, an address no "
                "article has on this site: import the original first (an import of a folder "
                "takes it in any order)"
            )
    article.translation_of = original
    try:
        translations.validate(
            article_id=article.pk,
            language=article.language,
            translation_of=original.pk if original else None,
        )
    except ValidationError as refused:
        raise ArticleImportError(f"{source.path}: {refused.messages[0]}") from None


def save_article(source: ArticleSource, *, lead_image: Any = None) -> ImportResult:
    """Create the article of a source, or update the one with its slug; keeps its discussion.

    lead_image: the article's lead image (an images.Image) when the source names one.
    """
    article = Article.objects.filter(slug=source.slug).first()
    created = article is None
    if article is None:
        article = Article(slug=source.slug)
    before = {name: getattr(article, name) for name in _IMPORTED}
    article.title = source.title
    article.topic = topic_named(source.topic)
    article.written_by = person_named(source.written_by)
    article.edited_by = person_named(source.edited_by) if source.edited_by else None
    article.copyright_holder = source.copyright
    article.body = source.body
    article.last_modified = source.last_modified
    article.status = source.status
    article.synopsis = source.summary
    article.sources = source.sources
    article.reviewed_by = person_named(source.reviewed_by) if source.reviewed_by else None
    article.reviewed_on = source.reviewed_on
    article.search_title = source.search_title
    article.search_description = source.search_description
    if lead_image is not None:
        article.lead_image = lead_image
    _set_language(source, article)
    if isinstance(source.published, dt.datetime):
        article.published_at = source.published
    elif source.published is not None:
        article.published_at = _midday(source.published)
    elif article.published_at is None and source.status == Article.Status.PUBLISHED:
        article.published_at = _midday(source.last_modified)
    if (
        source.status == Article.Status.SCHEDULED
        and before["status"] == Article.Status.PUBLISHED
        and before["published_at"] == article.published_at
    ):
        # Its time came since the file was written, and it was published: it stays so.
        article.status = Article.Status.PUBLISHED
    article.normalise_text()  # a file saved with CRLF or trailing spaces is the same file
    moved_from = _new_old_addresses(source, article)
    taken = OldAddress.objects.filter(slug=source.slug).exclude(article_id=article.pk).first()
    if taken is not None:
        where = str(source.path)
        if source.path.suffix == ".md":
            where += f":{_line_of(source.path.read_text(encoding='utf-8'), 'slug')}"
        raise ArticleImportError(
            f"{where}: the address {source.slug!r} is an old address of “{taken.article.title}”"
            ", which it leads to; give the file another slug. Nothing of this file was imported."
        )
    if (
        not created
        and not moved_from
        and before == {name: getattr(article, name) for name in _IMPORTED}
    ):
        return ImportResult(article, created=False, changed=False)
    if not created and not _last_changed_by_import(article):
        raise ArticleImportError(
            f"{source.path}: the slug {source.slug!r} is the address of “{before['title']}”, "
            "which was written or changed in the newsroom since it was last imported; an "
            "import never overwrites newsroom work. Give the file another slug to import it "
            "as a new article, or make the change in the newsroom."
        )
    if source.status == Article.Status.SCHEDULED:
        article.stage = Article.Stage.DONE  # waits for its time, as if an editor scheduled it
    article.save()
    OldAddress.objects.bulk_create(OldAddress(article=article, slug=slug) for slug in moved_from)
    record_import(article, note=f"Imported from {source.path.name}. {source.note}".strip())
    return ImportResult(article, created)
