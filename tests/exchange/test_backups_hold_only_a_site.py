"""`knowhow restore` of a crafted backup: a media name reaching out of the pictures folder
(zip slip) or of another type, rows of sign-ins, a manifest lying about its rows. Each is
refused before anything changes, with the file named."""

from __future__ import annotations

import hashlib
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore

from knowhow.articles.models import Topic
from knowhow.exchange.backup import BackupRefused, restore_backup, write_backup

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    Topic.objects.create(name="Tides", slug="tides")
    User.objects.create_user(username="rita", password="a long password 42")
    path = tmp_path / "site.zip"
    write_backup(path)
    return path


def _add(
    path: Path,
    *,
    media: tuple[tuple[str, str, bytes], ...] = (),
    models: tuple[dict[str, Any], ...] = (),
    counts: dict[str, int] | None = None,
) -> None:
    """Write the backup again with extra members named in its manifest."""
    with zipfile.ZipFile(path) as old:
        members = {name: old.read(name) for name in old.namelist()}
    manifest = json.loads(members["manifest.json"])
    for name, member, data in media:
        members[member] = data
        manifest["media"].append({"name": name, "file": member, "size": len(data),
                                  "sha256": hashlib.sha256(data).hexdigest()})  # fmt: skip
    for entry in models:
        data = entry.pop("data")
        members[entry["file"]] = data
        manifest["models"].append({**entry, "sha256": hashlib.sha256(data).hexdigest()})
    for entry in manifest["models"]:
        entry["count"] = (counts or {}).get(entry["label"], entry["count"])
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as new:
        for name, data in members.items():
            new.writestr(name, data)


PNG = b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "name",
    ["../escaped.png", "images/../../escaped.png", "/srv/escaped.png", "images/.hidden.png",
     "images/page.html", "images/run.js", "static/site.png", "images\\..\\escaped.png"],
)  # fmt: skip
def test_a_media_name_outside_the_pictures_folder_is_refused(
    backup: Path, tmp_path: Path, name: str
) -> None:
    _add(backup, media=((name, f"media/{name}", PNG + b"<script>alert(1)</script>"),))
    User.objects.create_user(username="late", password="another password 42")
    with pytest.raises(BackupRefused, match="outside the pictures folder"):
        restore_backup(backup, replace=True)
    assert User.objects.filter(username="late").exists()  # nothing changed
    assert not (tmp_path / "escaped.png").exists()
    written = (
        [p.name for p in (tmp_path / "media").rglob("*")] if (tmp_path / "media").exists() else []
    )
    assert not any(n in written for n in ("page.html", "run.js", "site.png", ".hidden.png"))


def test_a_backup_carrying_sign_ins_is_refused(backup: Path) -> None:
    rita = User.objects.get(username="rita")
    store = SessionStore()
    store["_auth_user_id"] = str(rita.pk)
    store.create()
    fields = {"session_data": store.encode(dict(store)), "expire_date": "2099-01-01T00:00:00Z"}
    row = {"model": "sessions.session", "pk": "planted" + "x" * 25, "fields": fields}
    entry = {
        "label": "sessions.session",
        "file": "data/sessions.session.jsonl",
        "count": 1,
        "data": (json.dumps(row) + "\n").encode(),
    }
    _add(backup, models=(entry,))
    with pytest.raises(BackupRefused, match="sessions.session"):
        restore_backup(backup, replace=True)
    assert not SessionStore().exists("planted" + "x" * 25)


def test_a_manifest_lying_about_its_rows_is_refused(backup: Path) -> None:
    _add(backup, counts={"articles.topic": 5})
    User.objects.create_user(username="late", password="another password 42")
    with pytest.raises(BackupRefused, match="holds 1 rows; its manifest says 5"):
        restore_backup(backup, replace=True)
    assert User.objects.filter(username="late").exists()


@pytest.mark.parametrize(
    "manifest",
    [
        {"format": 1},
        {"format": 1, "migrations": {}, "models": "all", "media": []},
        {"format": 1, "migrations": {}, "models": [{"label": "articles.topic"}], "media": []},
        {"format": 1, "migrations": [], "models": [], "media": []},
    ],
)
def test_a_manifest_missing_its_parts_is_refused_with_a_reason(
    backup: Path, manifest: dict[str, Any]
) -> None:
    with zipfile.ZipFile(backup) as old:
        members = {name: old.read(name) for name in old.namelist()}
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(backup, "w") as new:
        for name, data in members.items():
            new.writestr(name, data)
    User.objects.create_user(username="late", password="another password 42")
    with pytest.raises(BackupRefused, match="is not a complete knowhow backup"):
        restore_backup(backup, replace=True)
    assert User.objects.filter(username="late").exists()
