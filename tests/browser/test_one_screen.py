"""The editor on one screen, in Chromium: the text on the left and a side panel with the
state, the next steps, the conversation newest first, the word count, reading time and
outline; on a phone a compact bar in its place. axe finds nothing at 1280 and 390 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people
from tests.browser.test_accessibility import WCAG_TAGS
from tests.browser.test_newsroom_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(transactional_db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def article() -> Article:
    writer = people.make_staff_writer()
    editor = people.make_staff_editor()
    topic = Topic.objects.create(name="Health", slug="health")
    article = workflow.create_article(
        by=writer, title="What is a Stitch?", topic=topic,
        body="## Why runners get it\n\nThe diaphragm tires.\n\n### What helps\n\nBreathe out.",
    )  # fmt: skip
    workflow.submit_for_review(article=article, by=writer)
    workflow.comment(article=article, by=editor, note="First thought: say why.")
    workflow.request_changes(article=article, by=editor, note="Newest: add a table of paces.")
    return article


def _open(browser: Browser, live_server: Any, article: Article, width: int) -> Page:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 900 if width > 500 else 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "wendy")
    page.goto(f"/newsroom/articles/{article.pk}/edit/")
    return page


def _accessible(page: Page, name: str, width: int, shots: Path) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    page.screenshot(path=shots / f"{name}.png", full_page=True)


def test_the_text_and_the_panel_side_by_side_on_a_wide_screen(
    browser: Browser, live_server: Any, article: Article, shots: Path
) -> None:
    page = _open(browser, live_server, article, 1280)
    text = page.get_by_role("textbox", name="Body").bounding_box()
    panel = page.get_by_role("complementary").bounding_box()
    assert text and panel and panel["x"] >= text["x"] + text["width"]  # beside, on the right
    assert panel["y"] < text["y"] + text["height"]
    expect(page.locator("#compact-bar")).to_be_hidden()
    side = page.get_by_role("complementary")
    expect(side.locator("#state")).to_contain_text("waiting for the changes an editor asked for")
    expect(side.get_by_role("button", name="Submit for review")).to_be_visible()
    notes = side.locator("#conversation li")
    expect(notes).to_have_count(2)
    expect(notes.first).to_contain_text("Newest: add a table of paces.")
    expect(notes.first).to_contain_text("asked for changes")
    expect(notes.nth(1)).to_contain_text("First thought: say why.")
    expect(side.locator("#word-count")).to_contain_text("11 words · 1 min read")
    expect(side.locator("#outline li")).to_have_text(["Why runners get it", "What helps"])
    _accessible(page, "one-screen-1280", 1280, shots)

    body = page.get_by_role("textbox", name="Body")
    body.press("Control+End")
    page.keyboard.type("\n\n## When to see a doctor\n\nIf it lasts.")
    expect(side.locator("#outline li")).to_have_text(
        ["Why runners get it", "What helps", "When to see a doctor"]
    )
    expect(side.locator("#word-count")).to_contain_text("19 words")
    page.context.close()


def test_on_a_phone_a_compact_bar_stands_for_the_panel(
    browser: Browser, live_server: Any, article: Article, shots: Path
) -> None:
    page = _open(browser, live_server, article, 390)
    bar = page.get_by_role("navigation", name="This article")
    expect(bar).to_be_visible()
    expect(bar).to_contain_text("waiting for the changes an editor asked for")
    text = page.get_by_role("textbox", name="Body").bounding_box()
    panel = page.get_by_role("complementary").bounding_box()
    assert text and panel and panel["y"] > text["y"]  # the panel follows the text
    _accessible(page, "one-screen-390", 390, shots)
    bar.get_by_role("link", name="Conversation (2)").click()
    expect(page.locator("#conversation")).to_be_in_viewport()
    page.context.close()
