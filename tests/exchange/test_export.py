"""knowhow export: every article, its lead image and discussion as files that knowhow import
reads back into the same pages; the same site gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone
from PIL import Image as Pillow

from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.facts.models import Event, Fact
from knowhow.images.models import Image
from knowhow.images.services import upload_image
from knowhow.moderation.services import remove_post
from knowhow.pagecache.fragments import fragments
from tests.pages import post_numbers, visible_text


def png(colour: str = "teal") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Pillow.new("RGB", (64, 40), colour).save(buffer, "PNG")
    return SimpleUploadedFile("harbour.png", buffer.getvalue(), content_type="image/png")


@pytest.fixture
def site(
    make_article: Callable[..., Article], topic: Topic, reader: User, moderator: User
) -> Article:
    """A site with a published health article (review, sources, summary, lead image and a
    discussion with a removed post), a draft and a scheduled article."""
    topic.health, topic.review_months, topic.description = True, 12, "Bodies and minds."
    topic.hold_first_posts = False  # the reader's first post shows at once, as exported
    topic.save()
    reviewer = Person.objects.create(name="Dr Rae Reviewer", slug="rae", bio="A physiologist.")
    image = upload_image(file=png(), alt="A harbour wall at low tide", by=None, caption="Low")
    article = make_article(
        "Why do Muscles Cramp at Night?",
        body="Cramps come at night when *muscles* rest shortened.\n\nStretch before bed.",
        synopsis="Night cramps and what helps.",
        sources="Smith J. *Night cramps*. 2020.\nhttps://example.org/cramps",
        reviewed_by=reviewer,
        reviewed_on=dt.date(2024, 2, 1),
        lead_image=image,
    )
    post_comment(article=article, body="Does magnesium help?", author=reader)
    removed = post_comment(article=article, body="Buy my cream!")
    post_comment(article=article, body="Stretching works for me.")
    remove_post(post=removed, moderator=moderator, note="Advertising.")
    fact = Fact.objects.create(
        text="Calf muscles cramp more often than any others.", slug="calf", source="A survey"
    )
    fact.related.add(article)
    today = timezone.localdate()
    Event.objects.create(
        year=1901, month=today.month, day=today.day, text="A swimmer crossed a cold lake."
    )
    make_article(
        "Is Yawning Contagious?",
        slug="yawning",
        body="Seeing a yawn makes many people yawn.",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    make_article(
        "What is a Stitch?",
        body="A stitch is a pain below the ribs.",
        status=Article.Status.SCHEDULED,
        published_at=timezone.now() + dt.timedelta(days=3),
    )
    return article


def export(folder: Path, *extra: str) -> str:
    out = io.StringIO()
    call_command("export", str(folder), *extra, stdout=out)
    return out.getvalue()


def wipe_content() -> None:
    """Leave the site as a fresh one: no articles, discussions, people, topics or images."""
    Post.objects.all().delete()
    Article.objects.all().delete()
    Image.objects.all().delete()
    Person.objects.all().delete()
    Fact.objects.all().delete()
    Event.objects.all().delete()
    Topic.objects.all().delete()
    User.objects.all().delete()
    cache.clear()
    fragments().clear()


def test_export_then_import_into_an_empty_site_gives_the_same_pages(
    site: Article, client: Client, tmp_path: Path
) -> None:
    url = site.get_absolute_url()
    before = visible_text(client.get(url).content)
    before_html = client.get(url).content.decode()
    person_before = visible_text(client.get("/people/rae/").content)
    assert "muscles rest shortened" in before and "Stretching works for me." in before
    assert "Calf muscles cramp" in before and "A swimmer crossed a cold lake." in before
    assert site.lead_image is not None
    picture = site.lead_image.file.read()
    export(tmp_path / "out")
    wipe_content()
    assert client.get(url).status_code == 404
    call_command("import", str(tmp_path / "out"), stdout=io.StringIO())
    assert Article.objects.count() == 3
    after_html = client.get(url).content.decode()
    assert visible_text(after_html) == before
    assert post_numbers(after_html) == post_numbers(before_html) == [3, 1]
    assert "A post here was removed by a moderator." in visible_text(after_html)
    image = Article.objects.select_related("lead_image").get(slug=site.slug).lead_image
    assert image is not None and (image.alt, image.caption) == ("A harbour wall at low tide", "Low")
    assert image.file.read() == picture
    assert visible_text(client.get("/people/rae/").content) == person_before
    statuses = dict(Article.objects.values_list("slug", "status"))
    assert statuses["yawning"] == "draft" and statuses["what-is-a-stitch"] == "scheduled"
    topic = Topic.objects.get()
    assert (topic.health, topic.review_months, topic.description) == (
        True,
        12,
        "Bodies and minds.",
    )


def test_export_writes_articles_images_discussions_topics_and_people(
    site: Article, tmp_path: Path
) -> None:
    output = export(tmp_path)
    assert "Exported 3 article(s), 1 image(s) and 1 discussion(s) with 3 post(s)" in output
    assert sorted(p.name for p in (tmp_path / "articles").iterdir()) == [
        "what-is-a-stitch.md",
        "why-do-muscles-cramp-at-night.md",
        "yawning.md",
    ]
    text = (tmp_path / "articles" / "why-do-muscles-cramp-at-night.md").read_text()
    meta = yaml.safe_load(text.split("---\n")[1])
    assert meta["written_by"] == "Wendy Writer" and meta["edited_by"] == "Ed Editor"
    assert meta["reviewed_by"] == "Dr Rae Reviewer" and meta["reviewed_on"] == dt.date(2024, 2, 1)
    assert meta["summary"] == "Night cramps and what helps." and meta["status"] == "published"
    image = tmp_path / "articles" / meta["lead_image"]["file"]
    assert image.resolve().parent == (tmp_path / "images").resolve() and image.stat().st_size
    thread = json.loads(
        (tmp_path / "discussions" / "why-do-muscles-cramp-at-night.json").read_text()
    )
    assert [(p["number"], p["author"], p["removed"]) for p in thread["posts"]] == [
        (1, "reader", False),
        (2, "", True),
        (3, "", False),
    ]
    assert [t["name"] for t in yaml.safe_load((tmp_path / "topics.yaml").read_text())] == ["Health"]
    people = [p["name"] for p in yaml.safe_load((tmp_path / "people.yaml").read_text())]
    assert people == ["Dr Rae Reviewer", "Ed Editor", "Wendy Writer"]
    facts = yaml.safe_load((tmp_path / "facts.yaml").read_text())
    assert facts == [
        {
            "slug": "calf",
            "text": "Calf muscles cramp more often than any others.",
            "source": "A survey",
            "topic": None,
            "related": ["why-do-muscles-cramp-at-night"],
        }
    ]
    assert [e["year"] for e in yaml.safe_load((tmp_path / "events.yaml").read_text())] == [1901]


def test_the_same_site_exports_the_same_bytes(site: Article, tmp_path: Path) -> None:
    export(tmp_path / "one")
    export(tmp_path / "two")
    one, two = (
        {p.relative_to(folder): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
        for folder in (tmp_path / "one", tmp_path / "two")
    )
    assert one == two and len(one) == 9


def test_importing_an_export_twice_adds_nothing(site: Article, tmp_path: Path) -> None:
    export(tmp_path)
    wipe_content()
    call_command("import", str(tmp_path), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import", str(tmp_path), stdout=out)
    assert (
        "0 imported, 0 updated, 3 unchanged, 0 file(s) refused; 0 post(s) added." in out.getvalue()
    )
    assert Post.objects.count() == 3 and Image.objects.count() == 1
    assert Fact.objects.count() == 1 and Event.objects.count() == 1
    assert list(Fact.objects.get().related.values_list("slug", flat=True)) == [site.slug]


def test_export_refuses_a_folder_holding_other_files(site: Article, tmp_path: Path) -> None:
    (tmp_path / "thesis.txt").write_text("mine")
    with pytest.raises(CommandError, match="not empty"):
        export(tmp_path)
    with pytest.raises(CommandError, match="not an export"):
        export(tmp_path, "--replace")
    assert (tmp_path / "thesis.txt").read_text() == "mine"


def test_export_replaces_an_earlier_export_when_asked(site: Article, tmp_path: Path) -> None:
    export(tmp_path)
    Article.objects.filter(slug="yawning").delete()
    export(tmp_path, "--replace")
    assert not (tmp_path / "articles" / "yawning.md").exists()


def test_a_bad_discussion_file_refuses_its_article_alone(site: Article, tmp_path: Path) -> None:
    export(tmp_path)
    wipe_content()
    thread = tmp_path / "discussions" / "why-do-muscles-cramp-at-night.json"
    thread.write_text('{"posts": [\n  {"number": 1,\n')
    with pytest.raises(CommandError) as raised:
        call_command("import", str(tmp_path), stdout=io.StringIO(), stderr=io.StringIO())
    assert f"{thread}:3: not JSON" in str(raised.value)
    assert sorted(Article.objects.values_list("slug", flat=True)) == [
        "what-is-a-stitch",
        "yawning",
    ]
