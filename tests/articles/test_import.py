"""knowhow import: Markdown with front matter, bylines and dates intact, each file on its own."""

from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment

GOOD = textwrap.dedent(
    """\
    ---
    title: Why do Knuckles Crack?
    slug: why-do-knuckles-crack
    written_by: Ana Lopez
    edited_by: Ben Ode
    last_modified: 2021-03-04
    copyright: Knowhow Test Press
    topic: Health
    ---

    The popping sound comes from gas bubbles in the joint fluid.

    It is *not* known to cause arthritis.
    """
)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_import_keeps_bylines_dates_and_copyright(tmp_path: Path, db: None) -> None:
    call_command("import", str(write(tmp_path, "a.md", GOOD)), verbosity=0)
    article = Article.objects.select_related("written_by", "edited_by", "topic").get()
    assert article.title == "Why do Knuckles Crack?"
    assert article.written_by.name == "Ana Lopez" and article.edited_by.name == "Ben Ode"
    assert article.last_modified == dt.date(2021, 3, 4)
    assert article.copyright_holder == "Knowhow Test Press"
    assert article.topic.name == "Health"
    assert article.body_html.count("<p>") == 2 and "<em>not</em>" in article.body_html
    assert article.is_published


def test_reimport_updates_instead_of_duplicating(tmp_path: Path, db: None) -> None:
    path = write(tmp_path, "a.md", GOOD)
    call_command("import", str(path), verbosity=0)
    post_comment(article=Article.objects.get(), body="A reader's question.")
    path.write_text(GOOD.replace("2021-03-04", "2022-01-02").replace("gas bubbles", "bubbles"))
    call_command("import", str(path), verbosity=0)
    article = Article.objects.get()
    assert article.last_modified == dt.date(2022, 1, 2)
    assert "gas bubbles" not in article.body
    assert article.posts.count() == 1 and article.last_post_number == 1


def test_seed_article_imports_with_its_front_matter(seed_dir: Path, db: None) -> None:
    call_command("import", str(seed_dir / "article.md"), verbosity=0)
    article = Article.objects.get(slug="what-are-involuntary-muscle-spasms")
    assert article.title == "What are Involuntary Muscle Spasms?"
    assert (article.written_by.name, article.edited_by.name) == ("Mary McMahon", "Kristen Osborne")
    assert article.last_modified == dt.date(2019, 9, 18)
    assert article.copyright_holder == "Conjecture Corporation"
    call_command("import", str(seed_dir / "article.md"), verbosity=0)
    assert Article.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (GOOD.replace("title: Why do Knuckles Crack?\n", ""), "lacks title"),
        (GOOD.replace("last_modified: 2021-03-04", "last_modified: March 4th"), "YYYY-MM-DD"),
        (GOOD.replace("topic: Health", "topic: [Health"), "bad.md:8: bad front matter"),
        (GOOD.replace("---\n", "", 1), "bad.md:1: no front matter"),
        (GOOD.replace("topic: Health", "topic: Health\nauthor: X"), "unknown front matter"),
        (GOOD.split("---\n\n")[0] + "---\n", "no body"),
    ],
)
def test_bad_file_is_refused_with_its_name_and_reason_and_the_good_one_imports(
    tmp_path: Path, db: None, text: str, reason: str
) -> None:
    good = write(tmp_path, "good.md", GOOD.replace("why-do-knuckles-crack", "other"))
    bad = write(tmp_path, "bad.md", text)
    with pytest.raises(CommandError) as raised:
        call_command("import", str(good), str(bad), verbosity=0)
    message = str(raised.value)
    assert str(bad) in message and reason in message
    assert "1 imported, 0 updated, 0 unchanged, 1 file(s) refused" in message
    assert list(Article.objects.values_list("slug", flat=True)) == ["other"]


def test_import_of_a_folder_takes_its_markdown_files(tmp_path: Path, db: None) -> None:
    write(tmp_path, "one.md", GOOD)
    write(
        tmp_path, "two.md", GOOD.replace("why-do-knuckles-crack", "two").replace("Why do", "How do")
    )
    write(tmp_path, "notes.txt", "not an article")
    call_command("import", str(tmp_path), verbosity=0)
    assert Article.objects.count() == 2


def test_missing_file_is_named(tmp_path: Path, db: None) -> None:
    with pytest.raises(CommandError, match="nope.md: no such file"):
        call_command("import", str(tmp_path / "nope.md"), verbosity=0)
