"""`knowhow import` changes only what its files are about: it never overwrites an article
written or changed in the newsroom, never publishes one by a line of front matter, never
dates a review in the future, and a file of nested YAML aliases is refused at once."""

from __future__ import annotations

import datetime as dt
import io
import textwrap
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.exchange.importing import import_paths
from tests.pages import visible_text

pytestmark = pytest.mark.django_db
SITE = Path(__file__).parent.parent / "exchange" / "data" / "site.xml"


def _file(tmp_path: Path, front: str, body: str = "Words from the file.") -> Path:
    path = tmp_path / "article.md"
    path.write_text(f"---\n{textwrap.dedent(front).strip()}\n---\n\n{body}\n", encoding="utf-8")
    return path


@pytest.fixture
def newsroom_draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="What is a Stitch?", topic=topic, body="The newsroom's words."
    )


def test_a_file_with_a_newsroom_drafts_slug_neither_overwrites_nor_publishes_it(
    newsroom_draft: Article, tmp_path: Path
) -> None:
    path = _file(
        tmp_path,
        f"""
        title: Taken Over
        slug: {newsroom_draft.slug}
        written_by: Someone Else
        last_modified: 2024-01-02
        topic: Running
        status: published
        """,
    )
    report = import_paths([path])
    assert len(report.refused) == 1
    assert "never overwrites newsroom work" in report.refused[0].refused
    assert str(path) in report.refused[0].refused
    newsroom_draft.refresh_from_db()
    assert newsroom_draft.title == "What is a Stitch?"
    assert newsroom_draft.body == "The newsroom's words."
    assert newsroom_draft.status == Article.Status.DRAFT
    assert Client().get(newsroom_draft.get_absolute_url()).status_code == 404


def test_an_imported_article_edited_in_the_newsroom_is_not_overwritten_by_its_file(
    tmp_path: Path, editor_account: User
) -> None:
    path = _file(
        tmp_path,
        """
        title: What is a Cramp?
        slug: what-is-a-cramp
        written_by: Ana Lopez
        last_modified: 2024-01-02
        topic: Running
        """,
    )
    assert import_paths([path]).summary().startswith("1 imported")
    article = Article.objects.get(slug="what-is-a-cramp")
    assert article.latest_revision is not None
    workflow.save_revision(
        article=article, by=editor_account, content={"body": "Corrected in the newsroom."},
        base=article.latest_revision.number,
    )  # fmt: skip
    workflow.publish(article=article, by=editor_account)
    assert import_paths([path]).refused  # the old file again
    page = visible_text(Client().get(article.get_absolute_url()).content.decode())
    assert "Corrected in the newsroom." in page and "Words from the file." not in page


def test_a_wordpress_post_with_a_newsroom_articles_address_is_refused_with_its_line(
    writer_account: User, topic: Topic
) -> None:
    mine = workflow.create_article(
        by=writer_account, title="Two High Tides", topic=topic, body="Ours."
    )
    Article.objects.filter(pk=mine.pk).update(slug="two-high-tides")
    report = import_paths([SITE])
    assert len(report.refused) == 1
    reason = report.refused[0].refused
    assert reason.startswith(f"{SITE}:") and "two-high-tides" in reason
    assert Article.objects.count() == 1  # the file's other posts wait for it to be fixed
    mine.refresh_from_db()
    assert mine.body == "Ours." and mine.status == Article.Status.DRAFT


def test_a_review_date_in_the_future_is_refused(tmp_path: Path) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    path = _file(
        tmp_path,
        f"""
        title: What is a Cramp?
        written_by: Ana Lopez
        last_modified: 2024-01-02
        topic: Running
        reviewed_by: Dr Reva Viewer
        reviewed_on: {tomorrow.isoformat()}
        """,
    )
    report = import_paths([path])
    assert "reviewed_on" in report.refused[0].refused
    assert "future" in report.refused[0].refused
    assert not Article.objects.exists()


LAUGHS = """
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
"""


def test_front_matter_of_nested_aliases_is_refused_at_once(tmp_path: Path) -> None:
    path = tmp_path / "laughs.md"
    # Anchors must come before their aliases; put the laughs first.
    path.write_text(
        "---\n" + LAUGHS.strip() + "\ntitle: Laughs\nwritten_by: A\ntopic: T\n"
        "last_modified: *h\n---\n\nBody.\n",
        encoding="utf-8",
    )
    started = time.monotonic()
    report = import_paths([path])
    assert time.monotonic() - started < 5
    assert "aliases" in report.refused[0].refused
    assert not Article.objects.exists()


def test_a_topics_file_of_nested_aliases_is_refused_at_once(tmp_path: Path) -> None:
    nested = "".join(f"  {line}\n" for line in LAUGHS.strip().splitlines())
    (tmp_path / "topics.yaml").write_text(
        f"- name: Laughs\n{nested}  description: *h\n", encoding="utf-8"
    )
    started = time.monotonic()
    report = import_paths([tmp_path])
    assert time.monotonic() - started < 5
    assert "aliases" in report.refused[0].refused or "YAML" in report.refused[0].refused
    assert not Topic.objects.filter(name="Laughs").exists()


def test_an_approval_does_not_carry_over_to_words_a_later_import_brought(
    tmp_path: Path, writer_account: User, editor_account: User
) -> None:
    front = """
        title: What is a Cramp?
        slug: what-is-a-cramp
        written_by: Ana Lopez
        last_modified: 2024-01-02
        topic: Running
        status: draft
        """
    assert not import_paths([_file(tmp_path, front, "Words the editor read.")]).refused
    article = Article.objects.get(slug="what-is-a-cramp")
    workflow.submit_for_review(article=article, by=editor_account)
    workflow.approve(article=article, by=editor_account)
    assert not import_paths([_file(tmp_path, front, "Words nobody has read.")]).refused
    article.refresh_from_db()
    assert article.stage == Article.Stage.WRITING
    assert article.status == Article.Status.DRAFT


def test_reloading_the_demo_keeps_a_demo_article_changed_in_the_newsroom(
    editor_account: User,
) -> None:
    from django.core.management import CommandError, call_command

    call_command("demo", verbosity=0, stdout=io.StringIO())
    article = Article.objects.order_by("pk").first()
    assert article is not None and article.latest_revision is not None
    workflow.save_revision(
        article=article, by=editor_account, content={"body": "Fixed in the newsroom."},
        base=article.latest_revision.number,
    )  # fmt: skip
    workflow.publish(article=article, by=editor_account)
    with pytest.raises(CommandError, match="never overwrites newsroom work"):
        call_command("demo", verbosity=0, stdout=io.StringIO())
    article.refresh_from_db()
    assert article.body == "Fixed in the newsroom."
