"""An export carries each article's search title and description and its old addresses (each
a permanent redirect), and an import restores them; an old address that leads to another
article on the importing site refuses the file, naming its line, and nothing of it is kept."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, OldAddress
from knowhow.exchange.importing import import_paths

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(make_article: Callable[..., Article], editor_account: User) -> Article:
    """A published article with a search title and description, moved twice."""
    article = make_article(
        "Why do Muscles Cramp at Night?",
        slug="night-cramps",
        search_title="Night cramps: why muscles cramp, and what helps",
        search_description="Cramps come when muscles rest shortened; stretching helps.",
    )
    workflow.change_address(article=article, by=editor_account, address="cramps-at-night")
    workflow.change_address(article=article, by=editor_account, address="muscle-cramps-at-night")
    article.refresh_from_db()
    return article


def _front_matter(path: Path) -> dict[str, object]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1]))


def _line(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if text in line)


def test_export_then_import_keeps_search_fields_and_old_addresses(
    moved: Article, client: Client, tmp_path: Path
) -> None:
    call_command("export", str(tmp_path), stdout=io.StringIO())
    file = tmp_path / "articles" / "muscle-cramps-at-night.md"
    meta = _front_matter(file)
    assert meta["search_title"] == "Night cramps: why muscles cramp, and what helps"
    assert meta["search_description"] == (
        "Cramps come when muscles rest shortened; stretching helps."
    )
    assert meta["old_addresses"] == ["cramps-at-night", "night-cramps"]

    Article.objects.all().delete()
    assert not OldAddress.objects.exists()
    assert client.get("/articles/night-cramps/").status_code == 404
    report = import_paths([tmp_path])
    assert report.refused == [] and report.total("created") == 1
    article = Article.objects.get()
    assert article.slug == "muscle-cramps-at-night"
    assert article.search_title == "Night cramps: why muscles cramp, and what helps"
    assert article.search_description == moved.search_description
    for old in ("night-cramps", "cramps-at-night"):
        answer = client.get(f"/articles/{old}/")
        assert answer.status_code == 301
        assert answer["Location"] == "/articles/muscle-cramps-at-night/"
    page = client.get("/articles/muscle-cramps-at-night/").text
    assert "<title>Night cramps: why muscles cramp, and what helps" in page
    assert 'content="Cramps come when muscles rest shortened; stretching helps."' in page

    # Importing it again changes nothing, and the export that follows is the same.
    again = import_paths([tmp_path])
    assert again.total("unchanged") == 1 and again.total("updated") == 0
    assert OldAddress.objects.count() == 2
    call_command("export", str(tmp_path / "second"), stdout=io.StringIO())
    assert (tmp_path / "second" / "articles" / file.name).read_bytes() == file.read_bytes()


def test_an_old_address_added_to_the_file_is_restored_on_the_next_import(
    moved: Article, tmp_path: Path
) -> None:
    call_command("export", str(tmp_path), stdout=io.StringIO())
    Article.objects.all().delete()
    import_paths([tmp_path])
    file = tmp_path / "articles" / "muscle-cramps-at-night.md"
    file.write_text(
        file.read_text(encoding="utf-8").replace(
            "- night-cramps\n", "- night-cramps\n- Cramps in the Night\n"
        ),
        encoding="utf-8",
    )
    report = import_paths([file])
    assert report.refused == [] and report.total("updated") == 1
    assert set(OldAddress.objects.values_list("slug", flat=True)) == {
        "night-cramps", "cramps-at-night", "cramps-in-the-night",
    }  # fmt: skip


def test_an_old_address_of_another_article_refuses_the_file_and_keeps_nothing(
    moved: Article, make_article: Callable[..., Article], editor_account: User, tmp_path: Path
) -> None:
    call_command("export", str(tmp_path), stdout=io.StringIO())
    Article.objects.all().delete()
    # On this site "night-cramps" is already another article's old address.
    other = make_article("Cramps in Swimmers", slug="night-cramps")
    workflow.change_address(article=other, by=editor_account, address="swimmers-cramps")
    file = tmp_path / "articles" / "muscle-cramps-at-night.md"

    (refused,) = import_paths([file]).refused
    line = _line(file, "- night-cramps")
    assert refused.refused.startswith(f"{file}:{line}: the old address 'night-cramps' already")
    assert "“Cramps in Swimmers”" in refused.refused
    assert "Nothing of this file was imported." in refused.refused
    assert list(Article.objects.values_list("slug", flat=True)) == ["swimmers-cramps"]
    assert list(OldAddress.objects.values_list("slug", "article")) == [("night-cramps", other.pk)]


def test_an_old_address_that_is_another_articles_address_refuses_the_file(
    moved: Article, make_article: Callable[..., Article], tmp_path: Path
) -> None:
    call_command("export", str(tmp_path), stdout=io.StringIO())
    Article.objects.all().delete()
    make_article("Cramps at Night, Another Take", slug="cramps-at-night")
    file = tmp_path / "articles" / "muscle-cramps-at-night.md"
    (refused,) = import_paths([file]).refused
    line = _line(file, "- cramps-at-night")
    assert refused.refused.startswith(f"{file}:{line}: the old address 'cramps-at-night'")
    assert Article.objects.count() == 1 and not OldAddress.objects.exists()


def test_a_file_whose_address_is_another_articles_old_one_is_refused(
    make_article: Callable[..., Article], editor_account: User, tmp_path: Path
) -> None:
    other = make_article("Cramps in Swimmers", slug="swim-cramps")
    workflow.change_address(article=other, by=editor_account, address="swimmers-cramps")
    file = tmp_path / "stolen.md"
    file.write_text(
        "---\ntitle: Swim Cramps\nslug: swim-cramps\nwritten_by: Ann Writer\n"
        "last_modified: 2024-05-17\ntopic: Health\n---\n\nWords.\n",
        encoding="utf-8",
    )
    (refused,) = import_paths([file]).refused
    assert refused.refused.startswith(f"{file}:3: the address 'swim-cramps' is an old address")
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "line", "reason"),
    [
        ("search_title", "x" * 201, 7, "search_title is 201 characters long; 200 at most"),
        ("search_description", "x" * 301, 7, "search_description is 301 characters long"),
        ("old_addresses", "night-cramps", 7, "old_addresses must be a list of addresses"),
        ("old_addresses", "\n- '!!!'", 8, "old address '!!!' has no letters or digits"),
    ],
)
def test_bad_search_fields_and_old_addresses_are_refused_with_their_line(
    field: str, value: str, line: int, reason: str, tmp_path: Path, topic: object
) -> None:
    file = tmp_path / "bad.md"
    file.write_text(
        "---\ntitle: Night Cramps\nslug: night-cramps\nwritten_by: Ann Writer\n"
        f"last_modified: 2024-05-17\ntopic: Health\n{field}: {value}\n---\n\nWords.\n",
        encoding="utf-8",
    )
    (refused,) = import_paths([file]).refused
    assert refused.refused.startswith(f"{file}:{line}: {reason}")
    assert not Article.objects.exists()
