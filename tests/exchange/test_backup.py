"""knowhow backup and restore, in this test's database (SQLite, or PostgreSQL on that pass):
the site comes back as it was, and a restore that cannot be trusted changes nothing."""

from __future__ import annotations

import json
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.test import Client

from knowhow.articles.models import Article, Revision
from knowhow.discussion.models import Post
from knowhow.exchange.backup import BackupRefused, restore_backup, write_backup
from knowhow.pagecache import versions
from knowhow.pagecache.versions import SITE_TAG, slot_of
from knowhow.search.models import Word
from tests.exchange import backup_site


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def site(db: None) -> dict[str, Any]:
    backup_site.fill()
    return backup_site.describe()


@pytest.fixture
def backup(site: dict[str, Any], tmp_path: Path) -> Path:
    path = tmp_path / "site.zip"
    call_command("backup", str(path), verbosity=0)
    return path


def _rewrite(path: Path, change: dict[str, bytes | None]) -> None:
    """Write the backup again with some members replaced (None: left out)."""
    with zipfile.ZipFile(path) as old:
        members = {name: old.read(name) for name in old.namelist()}
    for name, data in change.items():
        if data is None:
            members.pop(name)
        else:
            members[name] = data
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for name, data in members.items():
            new.writestr(name, data)


def _manifest(path: Path) -> dict[str, Any]:
    with zipfile.ZipFile(path) as zf:
        return dict(json.loads(zf.read("manifest.json")))


def test_restore_replace_brings_the_site_back_as_it_was(site: dict[str, Any], backup: Path) -> None:
    kiln = Article.objects.get(title="How Hot does a Kiln Get?")
    Article.objects.filter(pk=kiln.pk).update(title="Renamed after the backup")
    Post.objects.filter(article=kiln).delete()
    User.objects.create_user(username="latecomer", password="late password 55")
    image_name = Article.objects.get(pk=kiln.pk).lead_image.file.name  # type: ignore[union-attr]
    default_storage.delete(image_name)

    call_command("restore", str(backup), replace=True, verbosity=0)

    assert backup_site.describe() == site
    assert not User.objects.filter(username="latecomer").exists()
    assert [r.note for r in Revision.objects.filter(article=kiln).order_by("number")] == [
        "first draft",
        "edit 1",
        "edit 2",
        "picture",
    ]
    after = backup_site.check()
    assert after["signed_in"] and after["wrong_password_refused"]
    assert after["post_number"] == 4 and after["post_id_after_highest"]
    assert after["user_ids"][1] == after["highest_user_before"] + 1
    assert after["search_finds"]


def test_a_restored_site_is_found_by_search_and_words_are_counted_again(backup: Path) -> None:
    Word.objects.all().delete()
    restore_backup(backup, replace=True)
    page = Client().get("/search/", {"q": "kiln"}).content.decode()
    assert "How Hot does a Kiln Get?" in page
    assert Word.objects.filter(word="kiln").exists()


def test_restore_is_refused_over_a_site_with_content(site: dict[str, Any], backup: Path) -> None:
    User.objects.create_user(username="latecomer", password="late password 55")
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup), verbosity=0)
    assert "This site has content" in str(refused.value)
    assert "--replace" in str(refused.value)
    assert User.objects.filter(username="latecomer").exists()


def test_a_truncated_backup_is_refused_and_nothing_changes(
    site: dict[str, Any], backup: Path
) -> None:
    data = backup.read_bytes()
    backup.write_bytes(data[: len(data) // 2])
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup), replace=True, verbosity=0)
    assert f"{backup} is not a complete knowhow backup" in str(refused.value)
    assert "nothing was restored" in str(refused.value)
    assert backup_site.describe() == site


def test_a_damaged_row_file_is_refused_and_nothing_changes(
    site: dict[str, Any], backup: Path
) -> None:
    with zipfile.ZipFile(backup) as zf:
        posts = zf.read("data/discussion.post.jsonl")
    _rewrite(backup, {"data/discussion.post.jsonl": posts.replace(b"Kiln", b"Kell", 1)})
    with pytest.raises(BackupRefused, match="discussion.post.jsonl does not match its checksum"):
        restore_backup(backup, replace=True)
    assert backup_site.describe() == site


def test_a_row_that_cannot_be_loaded_leaves_the_site_as_it_was(
    site: dict[str, Any], backup: Path
) -> None:
    """The failure comes after the wipe and half the rows: the transaction undoes it all."""
    manifest = _manifest(backup)
    with zipfile.ZipFile(backup) as zf:
        lines = zf.read("data/discussion.post.jsonl").splitlines()
    row = json.loads(lines[-1])
    row["fields"]["article"] = 999_999  # an article the backup does not hold
    lines[-1] = json.dumps(row).encode()
    data = b"\n".join(lines) + b"\n"
    import hashlib

    for entry in manifest["models"]:
        if entry["label"] == "discussion.post":
            entry["sha256"] = hashlib.sha256(data).hexdigest()
    _rewrite(
        backup,
        {"data/discussion.post.jsonl": data, "manifest.json": json.dumps(manifest).encode()},
    )
    with pytest.raises(BackupRefused, match="a row cannot be loaded"):
        restore_backup(backup, replace=True)
    assert backup_site.describe() == site
    assert Client().login(username="rita", password=backup_site.PASSWORD)


def test_a_backup_from_newer_code_is_refused(site: dict[str, Any], backup: Path) -> None:
    manifest = _manifest(backup)
    manifest["knowhow"] = "9.0.0"
    manifest["migrations"]["articles"].append("0099_from_the_future")
    _rewrite(backup, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(backup), replace=True, verbosity=0)
    message = str(refused.value)
    assert "made by a newer knowhow (9.0.0" in message
    assert "articles.0099_from_the_future" in message
    assert "Upgrade knowhow to 9.0.0 or later" in message
    assert backup_site.describe() == site


def test_a_backup_from_older_code_is_refused_with_the_way_round(
    site: dict[str, Any], backup: Path
) -> None:
    manifest = _manifest(backup)
    manifest["migrations"]["articles"].pop()
    _rewrite(backup, {"manifest.json": json.dumps(manifest).encode()})
    with pytest.raises(BackupRefused, match="made by an older knowhow"):
        restore_backup(backup, replace=True)


def test_a_file_that_is_no_backup_is_refused(db: None, tmp_path: Path) -> None:
    path = tmp_path / "notes.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("notes.txt", "hello")
    with pytest.raises(BackupRefused, match="it has no manifest.json"):
        restore_backup(path)
    text = tmp_path / "notes.txt"
    text.write_text("not a zip at all")
    with pytest.raises(BackupRefused, match="not a readable zip file"):
        restore_backup(text)


def test_the_backup_leaves_out_what_is_rebuilt_or_of_the_moment(
    site: dict[str, Any], backup: Path
) -> None:
    manifest = _manifest(backup)
    labels = {entry["label"] for entry in manifest["models"]}
    assert {"articles.article", "discussion.post", "auth.user", "images.image"} <= labels
    assert not labels & {"sessions.session", "search.word", "django_tasks_database.dbtaskresult"}
    with zipfile.ZipFile(backup) as zf:
        users = zf.read("data/auth.user.jsonl").decode()
        groups = zf.read("data/auth.group.jsonl").decode()
    assert "md5$" in users  # password hashes travel (tests hash with MD5)
    assert '["publish_article","articles","article"]' in groups  # permissions by name
    assert manifest["media"] and all(
        m["file"].startswith("media/images/") for m in manifest["media"]
    )


def test_restore_signs_everyone_out(backup: Path) -> None:
    client = Client()
    assert client.login(username="rita", password=backup_site.PASSWORD)
    assert Session.objects.exists()
    restore_backup(backup, replace=True)
    assert not Session.objects.exists()
    page = client.get("/accounts/settings/")
    assert page.status_code == 302  # sent to sign in again


def test_restore_makes_every_cached_page_stale(backup: Path) -> None:
    kiln = Article.objects.get(title="How Hot does a Kiln Get?")
    store = versions()
    before = store.snapshot()
    restore_backup(backup, replace=True)
    assert before is not None
    # Every page depends on the site tag as well as its own (pagecache.mark).
    slots = sorted({slot_of(SITE_TAG), slot_of(f"article-{kiln.pk}")})
    assert not store.still_valid(before, slots)


def test_backup_is_written_whole_or_not_at_all(
    site: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "site.zip"
    path.write_bytes(b"yesterday's backup")

    def fail(*args: Any, **kwargs: Any) -> list[dict[str, Any]]:
        raise OSError("disk full")

    monkeypatch.setattr("knowhow.exchange.backup._write_media", fail)
    with pytest.raises(OSError, match="disk full"):
        write_backup(path)
    assert path.read_bytes() == b"yesterday's backup"
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


def test_a_large_discussion_is_streamed_not_held_in_memory(
    make_article: Any, reader: User, tmp_path: Path
) -> None:
    """6,000 posts of 4 kB (about 24 MB of text) go out and back in batches: at no time is
    more than a fraction of them in memory."""
    article = make_article()
    when = article.published_at
    Post.objects.bulk_create(
        [
            Post(
                article=article,
                number=n,
                author=reader,
                body=f"Post {n} " + "x" * 2000,
                body_html=f"<p>Post {n} " + "x" * 2000 + "</p>",
                created_at=when,
            )
            for n in range(1, 6001)
        ],
        batch_size=500,
    )
    text_size = 6000 * 4000
    path = tmp_path / "big.zip"
    tracemalloc.start()
    try:
        write_backup(path)
        _, backup_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        restore_backup(path, replace=True)
        _, restore_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert backup_peak < text_size / 3, backup_peak
    assert restore_peak < text_size / 3, restore_peak
    assert Post.objects.filter(article=article).count() == 6000
    assert Post.objects.get(article=article, number=5999).body.startswith("Post 5999 xx")


def test_a_database_not_yet_migrated_is_told_to_migrate_first(
    backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.migrations.executor import MigrationExecutor

    monkeypatch.setattr(
        MigrationExecutor,
        "migration_plan",
        lambda self, targets, clean_start=False: [("a migration", False)],
    )
    with pytest.raises(BackupRefused, match="run `knowhow migrate` first"):
        restore_backup(backup, replace=True)


def test_the_backup_file_is_readable_by_its_owner_alone(backup: Path) -> None:
    assert backup.stat().st_mode & 0o077 == 0


def test_a_backup_restores_onto_a_freshly_migrated_site_with_its_own_set_reasons(
    db: None, tmp_path: Path
) -> None:
    from knowhow.moderation.models import CannedReason
    from tests.people import seeded_reasons

    seeded_reasons()
    CannedReason.objects.filter(label="Spam").update(label="Junk")
    path = tmp_path / "renamed.zip"
    write_backup(path)
    # What `knowhow migrate` gives a new site: its own set reasons, no content.
    CannedReason.objects.filter(label="Junk").update(label="Spam")

    call_command("restore", str(path), verbosity=0)  # no --replace: nothing of value is lost

    labels = set(CannedReason.objects.values_list("label", flat=True))
    assert "Junk" in labels and "Spam" not in labels
