"""An article's language and the original it translates go out in its front matter and
come back exactly, whatever order the files are imported in."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from django.core.management import call_command

from knowhow.articles.models import Article
from knowhow.exchange.importing import import_paths
from tests.exchange.test_export import wipe_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def translated(make_article: Callable[..., Article]) -> tuple[Article, Article]:
    # The translation's address sorts before its original's: its file is read first.
    original = make_article("Why do we Yawn?", slug="why-do-we-yawn")
    spanish = make_article(
        "¿Por qué bostezamos?", slug="bostezo", language="es", translation_of=original,
        body="Bostezar estira la mandíbula.",
    )  # fmt: skip
    return original, spanish


def test_language_and_original_survive_export_and_import(
    translated: tuple[Article, Article], tmp_path: Path
) -> None:
    call_command("export", str(tmp_path / "out"), stdout=io.StringIO())
    text = (tmp_path / "out" / "articles").glob("*bostezo*.md")
    front = next(text).read_text(encoding="utf-8")
    assert "language: es\n" in front and "translation_of: why-do-we-yawn\n" in front
    wipe_content()
    report = import_paths([tmp_path / "out"])
    assert report.refused == [], report.refused
    spanish = Article.objects.select_related("translation_of").get(slug="bostezo")
    assert spanish.language == "es" and spanish.translation_of is not None
    assert spanish.translation_of.slug == "why-do-we-yawn"
    assert Article.objects.get(slug="why-do-we-yawn").language == "en"
    # Exported again, the files are the same.
    call_command("export", str(tmp_path / "again"), stdout=io.StringIO())
    for path in sorted((tmp_path / "out" / "articles").glob("*.md")):
        again = tmp_path / "again" / "articles" / path.name
        assert again.read_text(encoding="utf-8") == path.read_text(encoding="utf-8")


def _file(folder: Path, name: str, extra: str) -> Path:
    path = folder / name
    path.write_text(
        "---\ntitle: ¿Qué es?\nwritten_by: Ana\nlast_modified: 2024-05-01\ntopic: Health\n"
        f"{extra}---\n\nUn texto.\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("extra", "reason"),
    [
        ("language: klingon\n", "language 'klingon' is not a language code the site knows"),
        ("language: es\ntranslation_of: nowhere\n", "translation_of names 'nowhere', an address"),
        ("language: en\ntranslation_of: why-do-we-yawn\n", "is already in English"),
    ],
)
def test_a_file_with_a_wrong_language_or_original_is_refused_saying_why(
    translated: tuple[Article, Article], tmp_path: Path, extra: str, reason: str
) -> None:
    report = import_paths([_file(tmp_path, "que-es.md", extra)])
    (refused,) = report.refused
    assert reason in refused.refused and str(tmp_path / "que-es.md") in refused.refused
    assert not Article.objects.filter(title="¿Qué es?").exists()


def test_a_second_translation_in_one_language_is_refused(
    translated: tuple[Article, Article], tmp_path: Path
) -> None:
    report = import_paths(
        [_file(tmp_path, "que-es.md", "language: es\ntranslation_of: why-do-we-yawn\n")]
    )
    (refused,) = report.refused
    assert "already has a translation in Spanish: “¿Por qué bostezamos?”" in refused.refused
