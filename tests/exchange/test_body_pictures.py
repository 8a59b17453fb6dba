"""Pictures in article bodies travel with the article: `knowhow export` writes each file
beside the article and `knowhow import` maps its reference back to the picture here, and a
backup restored shows the same pictures."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.test import Client

from knowhow import markup
from knowhow.articles.models import Article
from knowhow.images.models import Image
from knowhow.images.services import upload_image
from tests.exchange.test_export import export, png, wipe_content


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def shown(make_article: Callable[..., Article]) -> tuple[Article, Image]:
    upload_image(file=png("red"), alt="Moves the ids on", by=None)  # ids differ after a wipe
    picture = upload_image(file=png("navy"), alt="A calf stretch against a wall", by=None,
                           credit="Photo: Ana Lind")  # fmt: skip
    article = make_article(
        "Why do Calves Cramp?",
        body=f'Stretch.\n\n![calf](picture:{picture.pk} "Hold for thirty seconds.")\n\nRest.',
    )
    return article, picture


def test_export_then_import_into_an_empty_site_shows_the_same_picture(
    shown: tuple[Article, Image], client: Client, tmp_path: Path
) -> None:
    article, picture = shown
    data = picture.file.read()
    export(tmp_path / "out")
    text = (tmp_path / "out" / "articles" / f"{article.slug}.md").read_text()
    meta = yaml.safe_load(text.split("---")[1])
    entry = meta["pictures"][picture.pk]
    assert entry["alt"] == "A calf stretch against a wall" and entry["credit"] == "Photo: Ana Lind"
    assert (tmp_path / "out" / "articles" / entry["file"]).read_bytes() == data
    assert f"(picture:{picture.pk} " in text  # the body keeps the reference, not an address

    wipe_content()
    call_command("import", str(tmp_path / "out"), stdout=io.StringIO())
    again = Article.objects.get(slug=article.slug)
    [here] = again.body_picture_ids
    restored = Image.objects.get(pk=here)
    assert restored.file.read() == data and restored.alt == "A calf stretch against a wall"
    page = client.get(again.get_absolute_url()).content.decode()
    assert f'srcset="{restored.srcset}"' in page and 'alt="A calf stretch against a wall"' in page
    assert "Hold for thirty seconds." in page

    # Importing the same export again adds no second copy of the picture.
    call_command("import", str(tmp_path / "out"), stdout=io.StringIO())
    assert Image.objects.count() == 1
    assert Article.objects.get(slug=article.slug).body_picture_ids == [here]


def test_import_points_the_reference_at_the_picture_it_uploaded(
    shown: tuple[Article, Image], tmp_path: Path
) -> None:
    article, picture = shown
    export(tmp_path / "out")
    wipe_content()
    upload_image(file=png("red"), alt="Someone else's picture", by=None)
    call_command("import", str(tmp_path / "out"), stdout=io.StringIO())
    body = Article.objects.get(slug=article.slug).body
    [here] = markup.picture_ids(body)
    assert Image.objects.get(pk=here).alt == "A calf stretch against a wall"


def test_backup_and_restore_keep_the_body_picture(
    shown: tuple[Article, Image], client: Client, tmp_path: Path
) -> None:
    article, picture = shown
    before = client.get(article.get_absolute_url()).content.decode()
    assert f'srcset="{picture.srcset}"' in before
    call_command("backup", str(tmp_path / "site.zip"), verbosity=0)
    wipe_content()
    call_command("restore", str(tmp_path / "site.zip"), replace=True, verbosity=0)
    client.logout()
    after = client.get(article.get_absolute_url()).content.decode()
    assert f'srcset="{picture.srcset}"' in after
    assert Image.objects.get(pk=picture.pk).file.read() == picture.file.open("rb").read()
