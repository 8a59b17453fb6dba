"""A whole site in one file, and back: `knowhow backup` and `knowhow restore`.

A backup is a zip holding one JSON-lines file per model (Django's serializer, rows in
primary-key order), the image files, and a manifest (format, knowhow version, the
migrations the database had, each file's row count and SHA-256). It is the same whatever
the database, so a SQLite site moves to PostgreSQL and back through it. Rows are read and
written in batches, so a site larger than memory backs up and restores.

Restoring checks the whole file and the migrations first, wipes the site's tables, loads
every row in one transaction (any failure leaves the site as it was), resets the
database's id sequences, rebuilds the search index and makes every cached page stale.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import io
import json
import os
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from django.apps import apps
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers import jsonl
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import ManyToManyField, Model

import knowhow
from knowhow import pagecache
from knowhow.articles.models import Article
from knowhow.images.models import PICTURE_EXTENSIONS, Image
from knowhow.pagecache.versions import SITE_TAG
from knowhow.search import services as search_services
from knowhow.search.backends import for_connection
from knowhow.search.models import Word
from knowhow.search.text import Document, document

FORMAT = 1
MANIFEST = "manifest.json"
BATCH = 500

# Never in a backup, and why. The first two are made by `knowhow migrate` and referred to
# by name (app, model, codename), so ids may differ between databases; the others are
# rebuilt or are of the moment. Restoring empties the latter too: a session or a queued
# email of the site restored over would point at someone else's rows.
LEFT_OUT = {
    "contenttypes.contenttype": "made by migrate; rows refer to them by app and model name",
    "auth.permission": "made by migrate; groups and accounts refer to them by name",
    "sessions.session": "sign-ins: everyone signs in again after a restore",
    "search.word": "the search index's vocabulary, rebuilt on restore",
    "antiabuse.ratecount": "rate-limit counts, spent within a day",
    "django_tasks_database.dbtaskresult": "queued and finished background tasks",
}
KEPT_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}
# Referred to by natural key: the same rows have other ids in another database.
BY_NAME: tuple[type[Model], ...] = (ContentType, Permission)
# Rows a freshly migrated site has already: not "content" a restore would lose.
MADE_BY_MIGRATE = {"auth.group", "moderation.cannedreason"}

Progress = Callable[[str, int | None], Callable[[int], None]]
"""progress(description, total) -> advance(steps): how the commands show a bar."""


class BackupRefused(Exception):
    """A backup or restore that cannot go ahead; the message says why and what to do."""


def _quiet(description: str, total: int | None) -> Callable[[int], None]:
    return lambda steps: None


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def backed_up_models() -> list[type[Model]]:
    """Every model holding site data, in the order apps are installed."""
    return [
        model
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy and _label(model) not in LEFT_OUT
    ]


def _through(field: ManyToManyField[Any, Any]) -> type[Model]:
    through = field.remote_field.through
    assert isinstance(through, type) and issubclass(through, Model)
    return through


def _m2m_fields(model: type[Model]) -> list[ManyToManyField[Any, Any]]:
    return [
        f
        for f in model._meta.local_many_to_many
        if isinstance(f, ManyToManyField) and _through(f)._meta.auto_created
    ]


class _Serializer(jsonl.Serializer):
    """Django's JSON-lines serializer, naming content types and permissions by natural key
    (their ids differ between databases) and everything else by id."""

    def handle_fk_field(self, obj: Model, field: Any) -> None:
        self.use_natural_foreign_keys = field.remote_field.model in BY_NAME
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: Model, field: Any) -> None:
        self.use_natural_foreign_keys = field.remote_field.model in BY_NAME
        super().handle_m2m_field(obj, field)


class _Hashing(io.RawIOBase):
    """A writable stream that passes bytes on, counting them and their SHA-256."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.target.write(chunk)
        self.digest.update(chunk)
        self.size += len(chunk)
        return len(chunk)


@dataclass
class Manifest:
    data: dict[str, Any]

    @property
    def models(self) -> list[dict[str, Any]]:
        return list(self.data["models"])

    @property
    def media(self) -> list[dict[str, Any]]:
        return list(self.data["media"])


def _applied_migrations(using: str) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


@contextlib.contextmanager
def _snapshot(using: str) -> Iterator[None]:
    """Read every table as of one moment while the site keeps serving and taking posts."""
    connection = connections[using]
    if connection.in_atomic_block:  # a caller's transaction already sees one state
        yield
        return
    if connection.vendor == "postgresql":
        with transaction.atomic(using=using):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield
        return
    # SQLite: a deferred read transaction sees one state and blocks no writer (Django's
    # own transactions here begin IMMEDIATE, taking the write lock for their length).
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ROLLBACK")


def media_names(using: str) -> Iterator[str]:
    """Every stored file the images use: originals and their resized copies."""
    seen: set[str] = set()
    for name, renditions in (
        Image.objects.using(using).order_by("pk").values_list("file", "renditions").iterator()
    ):
        for each in [name, *(r.get("name", "") for r in renditions or [])]:
            if each and each not in seen:
                seen.add(each)
                yield each


def write_backup(
    path: Path, *, using: str = DEFAULT_DB_ALIAS, progress: Progress = _quiet
) -> Manifest:
    """Write the whole site to `path` (a zip), replacing it only once it is complete."""
    path = Path(path)
    connection = connections[using]
    handle, partial_name = tempfile.mkstemp(
        dir=path.parent, prefix=f".{path.name}.", suffix=".partial"
    )
    os.close(handle)
    try:
        with _snapshot(using), zipfile.ZipFile(partial_name, "w", zipfile.ZIP_DEFLATED) as zf:
            models = []
            for model in backed_up_models():
                models.append(_write_model(zf, model, using, progress))
            media = _write_media(zf, using, progress)
            manifest = {
                "format": FORMAT,
                "knowhow": knowhow.__version__,
                "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "database": connection.vendor,
                "migrations": _applied_migrations(using),
                "models": models,
                "media": media,
                "left_out": sorted(LEFT_OUT),
            }
            zf.writestr(_member(MANIFEST), json.dumps(manifest, indent=1))
        os.replace(partial_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(partial_name)
        raise
    return Manifest(manifest)


def _member(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=dt.datetime.now().timetuple()[:6])
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def _write_model(
    zf: zipfile.ZipFile, model: type[Model], using: str, progress: Progress
) -> dict[str, Any]:
    label = _label(model)
    rows = model._base_manager.using(using).order_by("pk")
    natural = [
        f.name for f in model._meta.concrete_fields if f.is_relation and f.related_model in BY_NAME
    ]
    if natural:
        rows = rows.select_related(*natural)
    m2m = [f.name for f in _m2m_fields(model)]
    if m2m:
        rows = rows.prefetch_related(*m2m)
    total = rows.count()
    advance = progress(f"backing up {label}", total)
    name = f"data/{label}.jsonl"
    count = 0

    def counted(objects: Iterable[Model]) -> Iterator[Model]:
        nonlocal count
        for obj in objects:
            count += 1
            if count % 500 == 0:
                advance(500)
            yield obj
        advance(count % 500)

    with zf.open(_member(name), "w", force_zip64=True) as member:
        hashing = _Hashing(member)
        text = io.TextIOWrapper(io.BufferedWriter(hashing, 1 << 16), encoding="utf-8", newline="\n")
        _Serializer().serialize(counted(rows.iterator(chunk_size=BATCH)), stream=text)
        text.flush()
        text.detach()
    return {
        "label": label,
        "file": name,
        "count": count,
        "sha256": hashing.digest.hexdigest(),
    }


def _write_media(zf: zipfile.ZipFile, using: str, progress: Progress) -> list[dict[str, Any]]:
    found = []
    advance = progress("backing up image files", None)
    for name in media_names(using):
        try:
            source = default_storage.open(name, "rb")
        except FileNotFoundError:
            continue  # the row stays; its picture was lost before this backup
        with source, zf.open(_member(f"media/{name}"), "w", force_zip64=True) as member:
            hashing = _Hashing(member)
            while chunk := source.read(1 << 16):
                hashing.write(chunk)
        found.append(
            {
                "name": name,
                "file": f"media/{name}",
                "size": hashing.size,
                "sha256": hashing.digest.hexdigest(),
            }
        )
        advance(1)
    return found


# Reading a backup --------------------------------------------------------------------


def _damaged(path: Path, why: str) -> BackupRefused:
    return BackupRefused(f"{path} is not a complete knowhow backup ({why}); nothing was restored.")


def read_manifest(zf: zipfile.ZipFile, path: Path) -> Manifest:
    try:
        data = json.loads(zf.read(MANIFEST))
    except KeyError:
        raise _damaged(path, f"it has no {MANIFEST}") from None
    except (ValueError, zipfile.BadZipFile, zlib.error, EOFError) as error:
        raise _damaged(path, f"its {MANIFEST} cannot be read: {error}") from None
    if not isinstance(data, dict) or "format" not in data:
        raise _damaged(path, f"its {MANIFEST} is not a backup manifest")
    if data["format"] != FORMAT:
        raise BackupRefused(
            f"{path} is a backup in format {data['format']}, made by knowhow "
            f"{data.get('knowhow', '?')}; this knowhow {knowhow.__version__} reads format "
            f"{FORMAT}. Restore it with the version that made it."
        )
    shapes = {"migrations": dict, "models": list, "media": list}
    for key, kind in shapes.items():
        if not isinstance(data.get(key), kind):
            raise _damaged(path, f"its {MANIFEST} has no list of {key}")
    entries = [*data["models"], *data["media"]]
    if not all(isinstance(e, dict) and "file" in e and "sha256" in e for e in entries):
        raise _damaged(path, f"its {MANIFEST} names a file without its checksum")
    return Manifest(data)


@contextlib.contextmanager
def open_backup(path: Path) -> Iterator[tuple[zipfile.ZipFile, Manifest]]:
    path = Path(path)
    try:
        zf = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise BackupRefused(f"{path} does not exist.") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise _damaged(path, f"not a readable zip file: {error}") from None
    with zf:
        yield zf, read_manifest(zf, path)


# What a media file's name in a backup may be: a relative name under the images folder,
# of a picture type, with no part that is empty, hidden or a step out of the folder.
MEDIA_FOLDER = "images/"
MEDIA_TYPES = PICTURE_EXTENSIONS


def _safe_media_name(name: object) -> bool:
    if not isinstance(name, str) or not name.startswith(MEDIA_FOLDER):
        return False
    if "\\" in name or "\x00" in name or not name.lower().endswith(MEDIA_TYPES):
        return False
    return all(part and not part.startswith(".") for part in name.split("/"))


def check_contents(manifest: Manifest, path: Path) -> None:
    """The manifest names only what a backup holds: rows of the models backed up, each
    once, and picture files under the images folder. Anything else (sign-ins, a file
    reaching out of the media folder or of another type) is refused before any change."""
    allowed = {_label(model) for model in backed_up_models()}
    seen: set[str] = set()
    for entry in manifest.models:
        label = entry.get("label") if isinstance(entry, dict) else None
        if label not in allowed or label in seen:
            raise _damaged(path, f"it names rows of {label!r}, which no backup holds")
        if entry.get("file") != f"data/{label}.jsonl":
            raise _damaged(path, f"the rows of {label} are in an unexpected file")
        seen.add(str(label))
    for entry in manifest.media:
        name = entry.get("name") if isinstance(entry, dict) else None
        if not _safe_media_name(name) or entry.get("file") != f"media/{name}":
            raise _damaged(path, f"it names a media file {name!r} outside the pictures folder")


def verify(zf: zipfile.ZipFile, manifest: Manifest, path: Path, progress: Progress) -> None:
    """Read every file the manifest names and compare its checksum, before any change."""
    entries = manifest.models + manifest.media
    advance = progress("checking the backup", len(entries))
    for entry in entries:
        digest = hashlib.sha256()
        try:
            with zf.open(entry["file"]) as member:
                while chunk := member.read(1 << 16):
                    digest.update(chunk)
        except KeyError:
            raise _damaged(path, f"{entry['file']} is missing") from None
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as error:
            raise _damaged(path, f"{entry['file']} cannot be read: {error}") from None
        if digest.hexdigest() != entry["sha256"]:
            raise _damaged(path, f"{entry['file']} does not match its checksum")
        advance(1)


def check_migrations(manifest: Manifest, using: str, path: Path) -> None:
    """The backup's database and this one must have had exactly the same migrations."""
    connection = connections[using]
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if pending:
        raise BackupRefused(
            f"This database lacks {len(pending)} migration(s) this version needs: "
            "run `knowhow migrate` first, then restore."
        )
    theirs = {(app, name) for app, names in manifest.data["migrations"].items() for name in names}
    known = set(executor.loader.disk_migrations) | {
        replaced
        for migration in executor.loader.disk_migrations.values()
        for replaced in migration.replaces
    }
    ours = set(MigrationRecorder(connection).applied_migrations())
    made_by = manifest.data.get("knowhow", "?")
    newer = sorted(theirs - known)
    if newer:
        shown = ", ".join(f"{app}.{name}" for app, name in newer[:3])
        raise BackupRefused(
            f"{path} was made by a newer knowhow ({made_by}; this is {knowhow.__version__}): "
            f"its database had {len(newer)} migration(s) this version does not know "
            f"({shown}{', ...' if len(newer) > 3 else ''}). Upgrade knowhow to {made_by} "
            "or later, run `knowhow migrate`, then restore. Nothing was restored."
        )
    older = sorted((ours & known) - theirs)
    if older:
        raise BackupRefused(
            f"{path} was made by an older knowhow ({made_by}), whose database lacked "
            f"{len(older)} migration(s) this one has: restore it into a site running "
            f"knowhow {made_by}, then upgrade and run `knowhow migrate`. Nothing was restored."
        )


def site_content(using: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    """Rows a restore would wipe, per model, leaving out what `knowhow migrate` makes."""
    found = {}
    for model in backed_up_models():
        label = _label(model)
        if label in MADE_BY_MIGRATE:
            continue
        count = model._base_manager.using(using).count()
        if count:
            found[str(model._meta.verbose_name_plural)] = count
    return found


@dataclass
class Restored:
    counts: dict[str, int] = field(default_factory=dict)
    media: int = 0
    indexed: int = 0


def restore_backup(
    path: Path,
    *,
    replace: bool = False,
    using: str = DEFAULT_DB_ALIAS,
    progress: Progress = _quiet,
) -> Restored:
    """Load a backup into this site, all or nothing; raise BackupRefused when it cannot."""
    path = Path(path)
    with open_backup(path) as (zf, manifest):
        check_migrations(manifest, using, path)
        check_contents(manifest, path)
        verify(zf, manifest, path, progress)
        content = site_content(using)
        if content and not replace:
            shown = ", ".join(f"{n} {name}" for name, n in list(content.items())[:5])
            raise BackupRefused(
                f"This site has content ({shown}). Restoring would replace all of it: "
                "run `knowhow restore --replace` to wipe it and restore the backup."
            )
        try:
            with transaction.atomic(using=using):
                done = _load(zf, manifest, using, progress)
        except (DeserializationError, SuspiciousFileOperation, IntegrityError) as error:
            raise _damaged(path, f"a row cannot be loaded: {error}") from None
    return done


def _wiped_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy and _label(model) not in KEPT_BY_MIGRATE
    ]


def _wipe(using: str) -> None:
    """Empty every table a backup fills or the site derives, in this transaction."""
    connection = connections[using]
    tables = [model._meta.db_table for model in _wiped_models()]
    # PostgreSQL's TRUNCATE ... CASCADE also empties the search index's tables.
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # TRUNCATE refuses tables with foreign-key checks still pending in this
            # transaction: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for sql in statements:
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    search_services.drop_orphans(using)


def _load(zf: zipfile.ZipFile, manifest: Manifest, using: str, progress: Progress) -> Restored:
    connection = connections[using]
    done = Restored()
    _wipe(using)
    done.media = _restore_media(zf, manifest, progress)
    for entry in manifest.models:
        done.counts[entry["label"]] = _load_model(zf, entry, using, progress)
    connection.check_constraints()
    _reset_sequences(using)
    done.indexed = rebuild_search_index(using, progress)
    # Every page, kept part, session and account any server holds is stale: now, and once
    # this transaction commits.
    pagecache.changed(SITE_TAG)
    return done


def _load_model(zf: zipfile.ZipFile, entry: dict[str, Any], using: str, progress: Progress) -> int:
    try:
        model = apps.get_model(entry["label"])
    except (LookupError, ValueError):
        raise DeserializationError(f"{entry['file']} holds rows of an unknown kind") from None
    advance = progress(f"restoring {entry['label']}", int(entry["count"]))
    fields = [f for f in model._meta.local_concrete_fields]
    m2m = {f.name: f for f in _m2m_fields(model)}
    count = 0
    with zf.open(entry["file"]) as member:
        stream = io.TextIOWrapper(member, encoding="utf-8")
        batch: list[Any] = []
        for item in jsonl.Deserializer(stream, using=using):
            if type(item.object) is not model:
                raise DeserializationError(f"{entry['file']} holds a row of another model")
            batch.append(item)
            if len(batch) >= BATCH:
                _insert(model, fields, m2m, batch, using)
                count += len(batch)
                advance(len(batch))
                batch = []
        _insert(model, fields, m2m, batch, using)
        count += len(batch)
        advance(len(batch))
    if count != int(entry["count"]):
        raise DeserializationError(
            f"{entry['file']} holds {count} rows; its manifest says {entry['count']}"
        )
    return count


def _insert(
    model: type[Model],
    fields: list[Any],
    m2m: dict[str, ManyToManyField[Any, Any]],
    batch: list[Any],
    using: str,
) -> None:
    """Insert rows as they were (raw: no signals, no save(), dates set on creation kept)."""
    if not batch:
        return
    objects = [item.object for item in batch]
    connection = connections[using]
    size = max(1, connection.ops.bulk_batch_size(fields, objects))
    manager = model._base_manager.using(using)
    for start in range(0, len(objects), size):
        manager._insert(objects[start : start + size], fields=fields, raw=True)  # type: ignore[attr-defined]
    for name, m2m_field in m2m.items():
        through = _through(m2m_field)
        source = m2m_field.m2m_field_name()
        target = m2m_field.m2m_reverse_field_name()
        links = [
            through(**{f"{source}_id": item.object.pk, f"{target}_id": pk})
            for item in batch
            for pk in item.m2m_data.get(name, [])
        ]
        through._base_manager.using(using).bulk_create(links, batch_size=size)


def _reset_sequences(using: str) -> None:
    """Make new rows take ids after the restored ones (PostgreSQL's sequences; SQLite
    follows the largest id by itself)."""
    connection = connections[using]
    models = apps.get_models(include_auto_created=True)
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    if statements:
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)


def rebuild_search_index(using: str, progress: Progress = _quiet) -> int:
    """The index holds every published article again, as `search` builds it afresh."""
    Word.objects.using(using).all().delete()
    for_connection(using).clear()
    published = Article.objects.using(using).filter(status=Article.Status.PUBLISHED)
    advance = progress("building the search index", published.count())
    rows = (
        published.order_by("pk")
        .values_list("pk", "title", "topic__name", "body_html")
        .iterator(chunk_size=2000)
    )

    def documents() -> Iterator[Document]:
        for row in rows:
            advance(1)
            yield document(*row)

    return for_connection(using).build(documents())


def _restore_media(zf: zipfile.ZipFile, manifest: Manifest, progress: Progress) -> int:
    """Write the image files back under their own names (over a file of that name)."""
    advance = progress("restoring image files", len(manifest.media))
    for entry in manifest.media:
        name = entry["name"]
        if default_storage.exists(name):
            default_storage.delete(name)
        with zf.open(entry["file"]) as member:
            saved = default_storage.save(name, File(member, name=name))
        if saved != name:
            raise DeserializationError(f"{name} was stored as {saved}")
        advance(1)
    return len(manifest.media)
