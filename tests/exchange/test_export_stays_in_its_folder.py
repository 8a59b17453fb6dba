"""`knowhow export` writes only inside the folder it was given, whatever an article's slug
holds (a slug like `../../x` can reach the database by hand or through a restored backup),
and the export still imports back."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.parametrize("slug", ["../../escaped", "../escaped", "/escaped", "a/../../escaped"])
def test_a_hostile_slug_is_written_inside_the_export(
    make_article: Any, tmp_path: Path, slug: str
) -> None:
    article = make_article("What is an Escape?")
    post_comment(article=article, body="A comment to export.")
    Article.objects.filter(pk=article.pk).update(slug=slug)
    out = tmp_path / "deep" / "down" / "out"
    call_command("export", str(out), stdout=io.StringIO())
    outside = [p for p in tmp_path.rglob("*escaped*") if not p.is_relative_to(out)]
    assert outside == []
    assert [p.name for p in (out / "articles").iterdir()][0].endswith(f"escaped-{article.pk}.md")
    assert len(list((out / "discussions").glob(f"*escaped-{article.pk}.json"))) == 1


def test_plain_slugs_keep_their_file_names(make_article: Any, tmp_path: Path) -> None:
    article = make_article("What is a Plain Name?")
    call_command("export", str(tmp_path / "out"), stdout=io.StringIO())
    assert (tmp_path / "out" / "articles" / f"{article.slug}.md").is_file()
