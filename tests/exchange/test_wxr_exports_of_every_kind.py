"""WordPress exports as WordPress and WordPress.com write them: the `wp` namespace read by
its prefix whatever address (http or https, WXR 1.0 to 1.2); untitled items imported under
a made-up title; password-protected posts imported as drafts readers never see, their
comments kept but hidden; and the end of the import lists every item skipped or changed."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from knowhow.articles.models import Article, ArticleEvent
from knowhow.discussion.models import Post

pytestmark = pytest.mark.django_db

ITEM = """
  <item>
    <title>{title}</title>
    <dc:creator>ana</dc:creator>
    <content:encoded><![CDATA[<p>{body}</p>]]></content:encoded>
    <excerpt:encoded><![CDATA[]]></excerpt:encoded>
    <wp:post_id>{id}</wp:post_id>
    <wp:post_date_gmt>2024-03-01 10:00:00</wp:post_date_gmt>
    <wp:post_name>{slug}</wp:post_name>
    <wp:status>{status}</wp:status>
    <wp:post_type>{kind}</wp:post_type>
    <wp:post_password>{password}</wp:post_password>
    {comments}
  </item>"""

COMMENT = """<wp:comment>
      <wp:comment_id>{id}</wp:comment_id>
      <wp:comment_author>Sam</wp:comment_author>
      <wp:comment_date_gmt>2024-03-02 10:00:00</wp:comment_date_gmt>
      <wp:comment_content>{text}</wp:comment_content>
      <wp:comment_approved>1</wp:comment_approved>
    </wp:comment>"""


def export(tmp_path: Path, *items: str, wp: str = "https://wordpress.org/export/1.2/",
           version: str = "1.2", prefix: str = "wp") -> Path:  # fmt: skip
    """A small WXR file, its `wp` namespace at the address and under the prefix given."""
    body = "".join(items).replace("wp:", f"{prefix}:")
    path = tmp_path / f"export-{prefix}-{version}.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<rss version="2.0" xmlns:excerpt="{wp}excerpt/"'
        ' xmlns:content="http://purl.org/rss/1.0/modules/content/"'
        f' xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:{prefix}="{wp}">\n<channel>\n'
        f"  <title>Site</title><{prefix}:wxr_version>{version}</{prefix}:wxr_version>\n"
        f"  <{prefix}:author><{prefix}:author_login>ana</{prefix}:author_login>"
        f"<{prefix}:author_display_name>Ana Writer</{prefix}:author_display_name>"
        f"</{prefix}:author>\n{body}\n</channel>\n</rss>\n"
    )
    return path


def item(*, title: str = "What is Rain?", id: int = 1, slug: str = "", status: str = "publish",
         kind: str = "post", password: str = "", comments: str = "",
         body: str = "Water falls.") -> str:  # fmt: skip
    return ITEM.format(title=title, id=id, slug=slug or f"post-{id}", status=status, kind=kind,
                       password=password, comments=comments, body=body)  # fmt: skip


def run_import(path: Path) -> str:
    out = io.StringIO()
    call_command("import", str(path), stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize(
    "wp",
    [
        "https://wordpress.org/export/1.2/",
        "http://wordpress.org/export/1.2/",
        "http://wordpress.org/export/1.1/",
        "https://wordpress.org/export/1.0/",
    ],
)
def test_exports_of_every_version_over_http_or_https_import(tmp_path: Path, wp: str) -> None:
    version = wp.rstrip("/").rsplit("/", 1)[1]
    run_import(export(tmp_path, item(slug="rain"), wp=wp, version=version))
    rain = Article.objects.get(slug="rain")
    assert rain.title == "What is Rain?" and rain.written_by.name == "Ana Writer"
    assert Client().get("/articles/rain/").status_code == 200


def test_the_wp_namespace_is_read_by_its_prefix_at_any_address(tmp_path: Path) -> None:
    odd = "https://example.com/wordpress-export/"
    run_import(export(tmp_path, item(slug="rain"), wp=odd))
    assert Article.objects.filter(slug="rain", written_by__name="Ana Writer").exists()


def test_an_untitled_item_is_imported_under_a_made_up_title_and_the_rest_too(
    tmp_path: Path,
) -> None:
    told = run_import(export(tmp_path, item(title="", id=7), item(id=8, slug="rain")))
    untitled = Article.objects.get(slug="post-7")
    assert untitled.title == "Untitled post 7"
    assert Article.objects.filter(slug="rain").exists()
    assert "post 7 “Untitled post 7”: it has no title" in told


def test_a_password_protected_post_is_a_draft_readers_never_see_with_hidden_comments(
    tmp_path: Path,
) -> None:
    comments = COMMENT.format(id=1, text="Secret thanks!") + COMMENT.format(id=2, text="More.")
    told = run_import(export(
        tmp_path, item(slug="members", password="hunter2", comments=comments,
                       body="Only for members."),
    ))  # fmt: skip
    article = Article.objects.get(slug="members")
    assert article.status == Article.Status.DRAFT and not article.is_published
    assert Client().get("/articles/members/").status_code == 404
    assert "Only for members." not in Client().get("/feed/").text
    posts = Post.objects.filter(article=article)
    assert posts.count() == 2 and not posts.filter(status=Post.Status.PUBLISHED).exists()
    log = ArticleEvent.objects.filter(article=article, action=ArticleEvent.Action.IMPORTED).get()
    assert "password-protected" in log.note
    assert "password-protected in WordPress, so it is imported as a draft" in told
    assert "hunter2" not in told and "hunter2" not in log.note


def test_the_end_of_the_import_lists_every_item_skipped_or_changed(tmp_path: Path) -> None:
    told = run_import(export(
        tmp_path,
        item(id=1, slug="rain"),
        item(id=2, slug="rain", title="Rain Again"),
        item(id=3, status="trash", title="Binned"),
        item(id=4, kind="nav_menu_item", title="Home"),
        item(id=5, status="auto-draft", title="Half"),
    ))  # fmt: skip
    end = told.split("Skipped or imported otherwise:")[1]
    assert "post 2 “Rain Again”: its address “rain” is another's, so it is “rain-2”" in end
    assert "post 3 “Binned”: skipped: its status in WordPress is “trash”" in end
    assert "nav_menu_item 4 “Home”: skipped: a nav_menu_item is no article" in end
    assert "post 5 “Half”: skipped: its status in WordPress is “auto-draft”" in end
    assert Article.objects.count() == 2
