"""The newsroom's walk in Chromium: a writer drafts an article with a lead image and submits
it; an editor requests changes, and the writer's email about it arrives and leads back to the
article; the writer fixes and resubmits; the editor publishes; the public page shows the
bylines and date, and the history shows every revision."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.formats import date_format
from PIL import Image as Pillow
from playwright.sync_api import Browser, BrowserContext, Page, expect

from knowhow.articles.models import Article, Topic
from tests import people
from tests.browser.test_newsroom_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(transactional_db: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _browser(browser: Browser, live_server: Any) -> tuple[BrowserContext, Page]:
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_from_draft_through_changes_to_published(
    browser: Browser, live_server: Any, shots: Path, tmp_path: Path, run_worker: Any
) -> None:
    Topic.objects.create(name="Health", slug="health")
    people.make_staff_writer()
    people.make_staff_editor()
    picture = tmp_path / "stitch.png"
    Pillow.new("RGB", (640, 360), "steelblue").save(picture)
    writers_context, writer = _browser(browser, live_server)
    editors_context, editor = _browser(browser, live_server)

    # The writer drafts with a lead image and submits it.
    sign_in(writer, "wendy")
    writer.get_by_role("link", name="Newsroom").click()
    writer.get_by_role("link", name="Start a new article").click()
    writer.get_by_label("Title").fill("What is a Stitch?")
    writer.get_by_label("Topic").select_option(label="Health")
    writer.get_by_label("Summary").fill("A cramp of the diaphragm while running.")
    writer.get_by_label("Body").fill("A pain in the side while running.")
    writer.get_by_label("Sources", exact=True).fill("Runners' Journal, 2019")
    writer.get_by_label("Or upload a new picture").set_input_files(picture)
    writer.get_by_label("Alt text of the new picture").fill("A runner holding her side")
    writer.get_by_label("Revision note").fill("First draft.")
    writer.get_by_role("button", name="Save draft").click()
    expect(writer.get_by_role("status")).to_contain_text("as a draft (revision 1)")
    writer.screenshot(path=shots / "1-writer-drafted.png", full_page=True)
    writer.get_by_role("button", name="Submit for review").click()
    expect(writer.get_by_role("status")).to_contain_text("Submitted for review.")
    article = Article.objects.get(title="What is a Stitch?")
    assert article.lead_image is not None and article.lead_image.alt == "A runner holding her side"

    # The editor finds it waiting and asks for changes.
    sign_in(editor, "ed")
    editor.get_by_role("link", name="Newsroom").click()
    queue = editor.locator("#review")
    queue.get_by_role("link", name="What is a Stitch?").click()
    editor.get_by_label("What should change").fill("Say why runners get it.")
    editor.get_by_role("button", name="Request changes").click()
    expect(editor.get_by_role("status")).to_contain_text("Asked the writer for changes.")
    editor.screenshot(path=shots / "2-editor-requested-changes.png", full_page=True)

    # The task worker sends the writer an email with the request, which leads to the article.
    assert [m for m in mail.outbox if m.to == ["wendy@example.org"]] == []  # queued, not sent
    run_worker()
    (email,) = [m for m in mail.outbox if m.to == ["wendy@example.org"]]
    assert "asked for changes to “What is a Stitch?”" in email.subject
    assert "Say why runners get it." in email.body
    link = re.search(r"https?://\S+/newsroom/articles/\d+/edit/", email.body)
    assert link, email.body
    writer.goto(urlsplit(link.group(0)).path)
    expect(writer.locator("#asked")).to_contain_text("Say why runners get it.")

    # The writer sees the request in the log, fixes the text and resubmits.
    expect(writer.locator("#log")).to_contain_text("Say why runners get it.")
    writer.get_by_label("Body").fill(
        "A pain in the side while running: the diaphragm tires and cramps."
    )
    writer.get_by_label("Revision note").fill("Said why.")
    writer.get_by_role("button", name="Save", exact=True).click()
    expect(writer.get_by_role("status")).to_contain_text("Saved revision 2.")
    writer.get_by_role("button", name="Submit for review").click()
    expect(writer.get_by_role("status")).to_contain_text("Submitted for review.")

    # The editor publishes.
    editor.reload()
    expect(editor.locator("#state")).to_contain_text("in review")
    editor.get_by_role("button", name="Publish now").click()
    expect(editor.get_by_role("status")).to_contain_text("Published: readers see it now.")
    editor.screenshot(path=shots / "3-editor-published.png", full_page=True)

    # The public page, as a reader sees it.
    editor.get_by_role("link", name="The article on the site").click()
    details = editor.locator(".details")
    expect(details).to_contain_text("Written By: Wendy Writer")
    expect(details).to_contain_text("Edited By: Ed Editor")
    today = date_format(timezone.localdate(), "j F Y")
    expect(details).to_contain_text(f"Last Modified Date: {today}")
    expect(editor.locator(".article-body")).to_contain_text("the diaphragm tires and cramps")
    article.refresh_from_db()
    picture = editor.get_by_role("img", name="A runner holding her side")
    expect(picture).to_be_visible()
    # The picture arrived (from the site's own /media/, under the CSP) and kept its room.
    assert picture.evaluate("img => img.complete && img.naturalWidth > 0")
    assert picture.get_attribute("width") and picture.get_attribute("height")
    editor.screenshot(path=shots / "4-public-page.png", full_page=True)

    # The history lists every revision, the live one marked.
    editor.goto(f"/newsroom/articles/{article.pk}/history/")
    rows = editor.locator("table.history tbody tr")
    expect(rows).to_have_count(2)
    expect(editor.locator("#revision-2")).to_contain_text("Said why.")
    expect(editor.locator("#revision-2")).to_contain_text("Live")
    expect(editor.locator("#revision-1")).to_contain_text("First draft.")
    editor.get_by_role("button", name="Compare selected revisions").click()
    expect(editor.locator("ins").first).to_contain_text("the diaphragm tires and cramps")
    editor.screenshot(path=shots / "5-history-compare.png", full_page=True)
    writers_context.close()
    editors_context.close()
