"""knowhow import of WordPress exports: posts and pages, people, topics, statuses, comments,
and WordPress's HTML made safe, with bad files refused by line."""

from __future__ import annotations

import datetime as dt
import io
import time
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from knowhow.articles.models import Article, Revision
from knowhow.articles.services import publish_due
from knowhow.discussion.models import Post
from knowhow.pagecache.fragments import fragments
from tests.pages import post_numbers, visible_text

DATA = Path(__file__).parent / "data"
SITE = DATA / "site.xml"


def run_import(*paths: Path) -> str:
    out = io.StringIO()
    call_command("import", *map(str, paths), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.fixture
def imported(db: None) -> str:
    return run_import(SITE)


def test_posts_and_pages_import_with_their_authors_topics_and_statuses(imported: str) -> None:
    articles = {a.slug: a for a in Article.objects.select_related("written_by", "topic")}
    assert sorted(articles) == ["cafe-au-lait", "king-tide", "page-43", "two-high-tides"]
    tides = articles["two-high-tides"]
    assert tides.title == "Why Are There Two High Tides a Day & Not One?"
    assert tides.written_by.name == "Marit Ødegård"
    assert tides.topic.name == "Oceans & Coasts"
    assert tides.status == Article.Status.PUBLISHED
    assert tides.published_at == dt.datetime(2023, 4, 2, 9, 30, tzinfo=dt.UTC)
    assert tides.last_modified == dt.date(2023, 5, 10)
    assert tides.synopsis == "Two bulges of water, one Moon."
    assert articles["cafe-au-lait"].status == Article.Status.DRAFT
    assert articles["cafe-au-lait"].written_by.name == "Tomás Rivera"
    # A page filed under no category, with a title that has no plain letters.
    assert articles["page-43"].title == "Что такое прилив?"
    assert articles["page-43"].topic.name == "General"
    # Trash and menu entries are not articles.
    assert not Article.objects.filter(title__in=["An old post in the bin", "Home"]).exists()
    assert "4 imported, 0 updated, 0 unchanged, 0 file(s) refused; 2 post(s) added." in imported


def test_the_page_shows_the_post_without_anything_hostile(imported: str, client: Client) -> None:
    page = client.get("/articles/two-high-tides/")
    html = page.content.decode()
    text = visible_text(html)
    assert page.status_code == 200
    assert "The Moon pulls the ocean toward itself — and the Earth" in text
    assert "<p>Water keeps moving<br>\neven on a calm day.</p>" in html
    for hostile in ("owned", "onerror", "javascript:", "alert("):
        assert hostile not in html
    assert "A broken picture" in html  # the picture itself stays, without its handler


def test_shortcodes_and_block_comments_are_converted_or_dropped(imported: str) -> None:
    body = Article.objects.get(slug="two-high-tides").body_html
    assert "wp:paragraph" not in body and "<!--" not in body
    assert '<figure><img alt="Wet sand shining under an orange sky"' in body
    assert (
        "<figcaption>Low water on a <em>spring</em> tide as seen from the dunes</figcaption>"
        in body
    )
    assert "[gallery" not in body and "[note]" not in body and "[/caption]" not in body
    assert "A plain aside ends here." in body and "[footnote]" not in body
    assert "[caption] is how WordPress writes a shortcode by name." in body


def test_approved_comments_become_posts_numbered_oldest_first(
    imported: str, client: Client
) -> None:
    article = Article.objects.get(slug="two-high-tides")
    posts = list(article.posts.order_by("number"))
    assert [(p.number, p.author_name, p.author) for p in posts] == [
        (1, "Keel Hauler", None),
        (2, "Jo & the Gulls", None),
    ]
    assert posts[0].body == (
        "First time I understood this. [Tide tables](https://example.org/tables) make sense now."
    )
    assert article.last_post_number == 2
    text = visible_text(client.get(article.get_absolute_url()).content)
    assert "Keel Hauler" in text and "Jo & the Gulls" in text
    assert "left behind" in text
    for skipped in ("Cheap Pills", "Waiting Walter", "Binned Bella", "Some Blog"):
        assert skipped not in text
    assert post_numbers(client.get(article.get_absolute_url()).content) == [2, 1]


def test_importing_again_changes_nothing(imported: str) -> None:
    revisions, posts = Revision.objects.count(), Post.objects.count()
    stamps = dict(Article.objects.values_list("slug", "updated_at"))
    again = run_import(SITE)
    assert "0 imported, 0 updated, 4 unchanged" in again
    assert (Revision.objects.count(), Post.objects.count()) == (revisions, posts)
    assert dict(Article.objects.values_list("slug", "updated_at")) == stamps


def test_importing_a_changed_export_updates_the_page_at_once(
    imported: str, client: Client, tmp_path: Path
) -> None:
    url = "/articles/two-high-tides/"
    assert "Why Are There Two High Tides" in client.get(url).content.decode()  # now cached
    changed = tmp_path / "site.xml"
    text = SITE.read_text().replace("Two High Tides a Day &amp; Not One?", "Two Tides Daily?")
    text = text.replace(
        "<wp:comment_id>503</wp:comment_id>",
        "<wp:comment_id>507</wp:comment_id>",
    ).replace("<wp:comment_approved><![CDATA[spam]]>", "<wp:comment_approved><![CDATA[1]]>")
    changed.write_text(text)
    output = run_import(changed)
    assert "0 imported, 1 updated, 3 unchanged" in output and "1 post(s) added" in output
    page = visible_text(client.get(url).content)
    assert "Why Are There Two Tides Daily?" in page
    assert "Cheap Pills" in page and "Buy pills here" in page
    # The newly approved comment comes after those imported before.
    post = Post.objects.get(import_key="wxr:507")
    assert (post.number, post.author_name) == (3, "Cheap Pills")
    assert Article.objects.get(slug="two-high-tides").revisions.count() == 2


def test_a_scheduled_post_is_published_when_its_time_comes(imported: str) -> None:
    article = Article.objects.get(slug="king-tide")
    assert article.status == Article.Status.SCHEDULED
    assert article.published_at == dt.datetime(2030, 1, 15, 8, 0, tzinfo=dt.UTC)
    assert not article.is_published
    with time_machine.travel(dt.datetime(2030, 1, 15, 8, 1, tzinfo=dt.UTC)):
        assert publish_due(now=dt.datetime(2030, 1, 15, 8, 1, tzinfo=dt.UTC)) == 1
        article.refresh_from_db()
        assert article.is_published and article.live_revision is not None
        # The export still calls it scheduled; importing it again does not unpublish it.
        assert "0 imported, 0 updated, 4 unchanged" in run_import(SITE)
        article.refresh_from_db()
        assert article.is_published


def test_a_malformed_file_is_refused_by_line_and_the_others_import(
    tmp_path: Path, db: None
) -> None:
    with pytest.raises(CommandError) as raised:
        run_import(DATA / "malformed.xml", SITE)
    message = str(raised.value)
    assert f"{DATA / 'malformed.xml'}:6: not well-formed XML (mismatched tag" in message
    assert "4 imported, 0 updated, 0 unchanged, 1 file(s) refused" in message
    assert Article.objects.count() == 4


def test_an_entity_bomb_is_refused_quickly(db: None) -> None:
    started = time.monotonic()
    with pytest.raises(CommandError, match=r"bomb\.xml:3: the file declares entities"):
        run_import(DATA / "bomb.xml")
    assert time.monotonic() - started < 2
    assert not Article.objects.exists()


def test_a_post_without_a_title_imports_under_a_made_up_one_with_a_warning(
    tmp_path: Path, db: None
) -> None:
    untitled = tmp_path / "untitled.xml"
    text = SITE.read_text().replace("<title>What Is a King Tide?</title>", "<title/>")
    untitled.write_text(text)
    told = run_import(untitled)
    article = Article.objects.get(slug="king-tide")
    assert article.title.startswith("Untitled post ")
    assert f"it has no title, so it is imported as “{article.title}”" in told
    notice = next(line for line in told.splitlines() if "it has no title" in line)
    line = int(notice.split(f"{untitled}:")[1].split(":")[0])
    assert "<item>" in text.splitlines()[line - 1]
    assert Article.objects.count() == 4


def test_a_folder_takes_its_exports_by_content(tmp_path: Path, db: None) -> None:
    (tmp_path / "backup.xml").write_bytes(SITE.read_bytes())
    (tmp_path / "notes.txt").write_text("not an article")
    output = run_import(tmp_path)
    assert "4 imported" in output


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_a_progress_bar_counts_the_files(db: None) -> None:
    out = Terminal()
    with pytest.raises(CommandError):
        call_command("import", str(SITE), str(DATA / "bomb.xml"), stdout=out)
    shown = out.getvalue()
    assert "Importing" in shown and "2/2" in shown
    assert "4 imported · 0 updated · 0 unchanged · 1 refused" in shown
    assert "bomb.xml:3: the file declares entities" in shown


def test_without_a_terminal_each_file_gets_a_line(db: None) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command("import", str(SITE), str(DATA / "bomb.xml"), stdout=out, stderr=err)
    assert f"{SITE}: 4 imported, 0 updated, 0 unchanged, 2 post(s) added" in out.getvalue()
    assert f"refused: {DATA / 'bomb.xml'}:3:" in err.getvalue()


def test_imported_posts_cost_no_query_each_on_the_page(
    imported: str, client: Client, tmp_path: Path
) -> None:
    url = "/articles/two-high-tides/"

    def queries() -> int:
        cache.clear()
        fragments().clear()
        with CaptureQueriesContext(connection) as done:
            assert client.get(url).status_code == 200
        return len(done)

    few = queries()
    more = tmp_path / "more.xml"
    text = SITE.read_text()
    first = text.index("<wp:comment>")
    block = text[first : text.index("</wp:comment>", first) + len("</wp:comment>")]
    extra = "".join(block.replace("<wp:comment_id>502<", f"<wp:comment_id>9{n}<") for n in range(4))
    more.write_text(text.replace(block, block + extra))
    run_import(more)
    assert Post.objects.count() == 6
    assert queries() == few


def test_the_posts_feed_names_the_imported_authors(imported: str, client: Client) -> None:
    feed = client.get("/articles/two-high-tides/posts/feed/").content.decode()
    assert "Keel Hauler" in feed and "Jo &amp; the Gulls" in feed


def test_xml_that_is_not_a_wordpress_export_is_refused(tmp_path: Path, db: None) -> None:
    feed = tmp_path / "feed.xml"
    feed.write_text(
        '<?xml version="1.0"?>\n<rss version="2.0">\n'
        "<channel><title>News</title>\n</channel></rss>\n"
    )
    sitemap = tmp_path / "sitemap.xml"
    sitemap.write_text('<?xml version="1.0"?>\n<urlset></urlset>\n')
    with pytest.raises(CommandError) as raised:
        run_import(feed, sitemap)
    assert f"{feed}:3: an RSS feed, not a WordPress export" in str(raised.value)
    assert f"{sitemap}:2: not a WordPress export" in str(raised.value)


def test_a_hostile_comment_is_kept_as_harmless_text(tmp_path: Path, db: None) -> None:
    hostile = tmp_path / "hostile.xml"
    hostile.write_text(
        SITE.read_text().replace(
            "So the second tide is the Earth being <strong>left behind</strong>? Neat.",
            '<script>alert("gull")</script><img src="x" onerror="alert(1)">'
            '<a href="javascript:alert(2)">Click</a> Tides rise.',
        )
    )
    run_import(hostile)
    html = Client().get("/articles/two-high-tides/").content.decode()
    assert "Tides rise." in html
    for bad in ("alert(", "onerror", "javascript:", "<script>alert"):
        assert bad not in html
