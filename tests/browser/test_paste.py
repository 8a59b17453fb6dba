"""Paste from Word, Google Docs and a web page, in Chromium: the clipboard HTML each program
gives (tests/newsroom/clipboard/) becomes Markdown that keeps headings, bold and italic,
lists, tables and links, and drops styles, classes, comments, tracked changes, Word's `mso`
markup, scripts and pictures; published, the page has the heading, list, table and link,
and nothing pasted ever runs."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people
from tests.browser.test_newsroom_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CLIPBOARD = Path(__file__).resolve().parents[1] / "newsroom" / "clipboard"
LEFT_BEHIND = ["mso", "o:p", "class=", "style=", "<", "Symbol", "·", "docs-internal",
               "font-weight", "Check this with Dr Rae", "caused by too little salt", "[AL1]",
               "msoComment", "alert", "dataLayer", "pixel.gif", "Share this"]  # fmt: skip


@pytest.fixture(autouse=True)
def _media(transactional_db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _paste(page: Page, name: str) -> None:
    """Paste a clipboard file at the end of the text, as the browser hands it to the page."""
    page.get_by_role("textbox", name="Body").press("Control+End")
    html = (CLIPBOARD / name).read_text(encoding="utf-8")
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            data.setData("text/plain", "flat text the program also gives");
            document.querySelector(".cm-content").dispatchEvent(new ClipboardEvent("paste",
                {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )


def _typed(page: Page) -> str:
    return str(page.locator("#id_body").input_value())


def _clean(markdown: str) -> None:
    for left in LEFT_BEHIND:
        assert left not in markdown, (left, markdown)


@pytest.fixture
def editing(browser: Browser, live_server: Any) -> Any:
    writer = people.make_staff_writer()
    people.make_staff_editor()
    topic = Topic.objects.create(name="Health", slug="health")
    article = workflow.create_article(by=writer, title="Why do Muscles Cramp?", topic=topic)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    ran: list[str] = []
    page.on("dialog", lambda dialog: (ran.append(dialog.message), dialog.dismiss()))
    sign_in(page, "ed")
    page.goto(f"/newsroom/articles/{article.pk}/edit/")
    yield page, article, ran
    context.close()


def test_word_keeps_headings_lists_tables_and_links_and_drops_its_markup(editing: Any) -> None:
    page, article, ran = editing
    _paste(page, "word.html")
    markdown = _typed(page)
    assert "## Why do muscles cramp at night?" in markdown
    assert "### What helps" in markdown
    assert "**sudden**" in markdown and "*painful*" in markdown
    assert "[the NHS page on leg cramps](https://www.nhs.uk/conditions/leg-cramps/)" in markdown
    assert "not well understood" in markdown  # the tracked insertion is kept as text
    assert "- Stretch the calf before bed\n- Drink water through the day\n" in markdown
    assert "  - More in hot weather" in markdown  # Word's second level, nested
    assert "1. Cramps every night for weeks\n2. Weakness or numbness" in markdown
    assert "| Remedy | Evidence |\n| --- | --- |\n| Calf stretch | Some |" in markdown
    _clean(markdown)
    assert ran == []


def test_google_docs_keeps_bold_italic_links_lists_and_tables(editing: Any) -> None:
    page, article, ran = editing
    _paste(page, "google-docs.html")
    markdown = _typed(page)
    assert markdown.startswith("## Why do feet cramp?")
    assert "**common**" in markdown and "*especially at night*" in markdown
    assert "[a study of runners](https://example.org/feet-study)" in markdown
    assert "### Easing a foot cramp" in markdown
    assert "- Pull the toes towards the shin\n- Massage the arch" in markdown
    assert "| Cause | How often |\n| --- | --- |\n| Tight shoes | Often |" in markdown
    _clean(markdown)
    assert ran == []


def test_a_web_page_loses_its_classes_scripts_and_handlers(editing: Any) -> None:
    page, article, ran = editing
    _paste(page, "web-page.html")
    markdown = _typed(page)
    assert markdown.startswith("## Why do calves cramp?")
    assert "**runners**" in markdown and "*swimmers*" in markdown
    assert "[the review of the evidence](https://example.org/calves-review)" in markdown
    assert "### Before a run" in markdown and "- Warm up for **five minutes**" in markdown
    assert "- Cool down slowly" in markdown  # a javascript: link keeps its words only
    assert "| Muscle | Stretch |\n| --- | --- |\n| Calf | Wall push, 30 s |" in markdown
    _clean(markdown)
    assert "javascript" not in markdown
    assert ran == []


def test_pasted_articles_are_published_with_their_heading_list_table_and_link(
    editing: Any, shots: Path
) -> None:
    page, article, ran = editing
    _paste(page, "word.html")
    _paste(page, "google-docs.html")
    _paste(page, "web-page.html")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved revision 2.")).to_be_visible()
    page.get_by_role("button", name="Publish now").click()
    expect(page.get_by_text("Published")).not_to_have_count(0)
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    page.goto(article.get_absolute_url())
    body = page.locator(".article-body")
    for heading in ("Why do muscles cramp at night?", "Why do feet cramp?", "Before a run"):
        expect(body.get_by_role("heading", name=heading)).to_be_visible()
    # From Word and from Google Docs alike: the list, the table and the link.
    for item in ("Stretch the calf before bed", "Weakness or numbness", "Massage the arch"):
        expect(body.get_by_role("listitem").filter(has_text=item)).to_be_visible()
    for cell in ("Calf stretch", "Tight shoes"):
        expect(body.get_by_role("cell", name=cell)).to_be_visible()
    expect(body.get_by_role("link", name="the NHS page on leg cramps")).to_have_attribute(
        "href", "https://www.nhs.uk/conditions/leg-cramps/"
    )
    expect(body.get_by_role("link", name="a study of runners")).to_have_attribute(
        "href", "https://example.org/feet-study"
    )
    html = body.inner_html()
    assert "onerror" not in html and "javascript:" not in html and "<script" not in html
    page.screenshot(path=shots / "pasted-and-published.png", full_page=True)
    assert ran == []


def test_markup_hidden_in_pasted_words_is_sanitised_when_shown(editing: Any) -> None:
    page, article, ran = editing
    page.get_by_role("textbox", name="Body").press("Control+End")
    page.evaluate(
        """() => {
            const data = new DataTransfer();
            data.setData("text/html", '<p>Words &lt;img src=x onerror="alert(1)"&gt; and '
                + '&lt;script&gt;alert(2)&lt;/script&gt; <a href="data:text/html,x">here</a></p>'
                + '<p><img src="x" onerror="alert(3)"></p>');
            document.querySelector(".cm-content").dispatchEvent(new ClipboardEvent("paste",
                {clipboardData: data, bubbles: true, cancelable: true}));
        }"""
    )
    expect(page.locator("#id_body")).to_have_value(re.compile("Words"))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved revision 2.")).to_be_visible()
    preview = page.frame_locator("#preview-frame").locator(".article-body")
    expect(preview).to_contain_text("Words")
    assert "onerror" not in preview.inner_html() and "<script" not in preview.inner_html()
    page.get_by_role("button", name="Publish now").click()
    page.goto(article.get_absolute_url())
    html = page.locator(".article-body").inner_html()
    assert "onerror" not in html and "<script" not in html and "data:" not in html
    assert ran == []


def test_in_markdown_mode_a_paste_is_markdown_too(editing: Any) -> None:
    page, article, ran = editing
    page.get_by_role("toolbar", name="Text formatting").get_by_role(
        "button", name="Markdown mode"
    ).click()
    page.locator("#id_body").focus()
    html = (CLIPBOARD / "google-docs.html").read_text(encoding="utf-8")
    page.evaluate(
        """(html) => {
            const data = new DataTransfer();
            data.setData("text/html", html);
            document.querySelector("#id_body").dispatchEvent(new ClipboardEvent("paste",
                {clipboardData: data, bubbles: true, cancelable: true}));
        }""",
        html,
    )
    assert _typed(page).startswith("## Why do feet cramp?")
    # Back in the writing surface, the same words are there.
    page.get_by_role("button", name="Markdown mode").click()
    expect(page.get_by_role("textbox", name="Body")).to_contain_text("## Why do feet cramp?")
