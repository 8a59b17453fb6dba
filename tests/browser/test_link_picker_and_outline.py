"""The editor's link picker and outline in Chromium: Ctrl+K opens a dialog that finds the
site's published articles as the writer types and links the selection to one, keeps the
focus inside it and gives it back to the text; the side panel's outline takes the writer to
a heading and follows the headings typed."""

from __future__ import annotations

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

FILLER = "\n\n".join(f"Paragraph {n} about the stitch and how it feels." for n in range(40))


@pytest.fixture(autouse=True)
def _media(transactional_db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _articles() -> Article:
    writer = people.make_staff_writer()
    editor = people.make_staff_editor()
    topic = Topic.objects.create(name="Health", slug="health")
    for title in ("Shin Splints Explained", "Why Knees Hurt"):
        other = workflow.create_article(by=writer, title=title, topic=topic, body="Words.")
        workflow.publish(article=other, by=editor)
    workflow.create_article(by=writer, title="Shin Pain, a Draft", topic=topic, body="Words.")
    body = f"## Why runners get it\n\n{FILLER}\n\n## How to stop it\n\nBreathe out slowly."
    return workflow.create_article(by=writer, title="What is a Stitch?", topic=topic, body=body)


def _value(page: Page) -> str:
    return str(page.locator("#id_body").input_value())


def _cursor_line(page: Page) -> str:
    return str(
        page.evaluate(
            "(() => { const s = window.knowhowWriting.view.state;"
            " return s.doc.lineAt(s.selection.main.head).text; })()"
        )
    )


def test_the_link_picker_finds_articles_and_the_outline_goes_to_headings(
    browser: Browser, live_server: Any, shots: Any
) -> None:
    article = _articles()
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, bypass_csp=True
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "wendy")
    page.goto(f"/newsroom/articles/{article.pk}/edit/")
    text = page.locator(".writing-editor .cm-content")

    # The outline's entries go to their heading, out of sight below.
    outline = page.locator("#outline")
    far = outline.get_by_role("button", name="How to stop it")
    far.click()
    expect(text).to_be_focused()
    assert _cursor_line(page) == "## How to stop it"
    heading = page.locator(".cm-line", has_text="How to stop it")
    expect(heading).to_be_in_viewport()
    outline.get_by_role("button", name="Why runners get it").click()
    assert _cursor_line(page) == "## Why runners get it"
    expect(page.locator(".cm-line", has_text="Why runners get it")).to_be_in_viewport()

    # A heading typed joins the outline.
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\n## When to see a doctor\n\nRead about shins")
    expect(outline.get_by_role("button", name="When to see a doctor")).to_be_visible()

    # Ctrl+K: the dialog finds published articles only, and links the selection to one.
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+k")
    picker = page.get_by_role("dialog", name="Link to an article or an address")
    search = picker.get_by_label("Find an article, or an address")
    expect(search).to_be_focused()
    expect(picker.get_by_role("status")).to_contain_text("the newest published")
    search.fill("shin")
    expect(picker.get_by_role("status")).to_contain_text("1 article found")
    expect(picker.get_by_role("button", name="Shin Splints Explained")).to_be_visible()
    expect(picker.get_by_text("Shin Pain, a Draft")).to_have_count(0)
    axe = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert axe.violations_count == 0, axe.generate_report()
    page.screenshot(path=shots / "link-picker.png")
    page.keyboard.press("ArrowDown")
    expect(picker.get_by_role("button", name="Shin Splints Explained")).to_be_focused()
    page.keyboard.press("Enter")
    expect(picker).to_be_hidden()
    expect(text).to_be_focused()
    assert _value(page).endswith("[Read about shins](/articles/shin-splints-explained/)")

    # With nothing selected, the article's title is the link's text, put at the cursor.
    page.keyboard.type(" and ")
    page.keyboard.press("Control+k")
    search.fill("knee")
    picker.get_by_role("button", name="Why Knees Hurt").click()
    assert _value(page).endswith(
        "[Read about shins](/articles/shin-splints-explained/) and "
        "[Why Knees Hurt](/articles/why-knees-hurt/)"
    )
    expect(text).to_be_focused()
    before = _value(page)

    # The focus stays in the dialog; Escape puts nothing and gives the focus back.
    page.keyboard.press("Control+k")
    expect(search).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(picker.get_by_role("button", name="Cancel")).to_be_focused()
    page.keyboard.press("Tab")
    expect(search).to_be_focused()
    search.fill("javascript:alert(1)")
    page.keyboard.press("Enter")
    expect(picker.get_by_role("status")).to_contain_text("https:// address")
    expect(picker).to_be_visible()
    page.keyboard.press("Escape")
    expect(picker).to_be_hidden()
    expect(text).to_be_focused()
    assert _value(page) == before

    # A search still on its way when Enter refuses an address chooses nothing when it comes.
    held: list[Any] = []
    page.route("**/links/?q=*", lambda route: held.append(route))
    page.keyboard.press("Control+k")
    search.fill("knee")
    page.wait_for_timeout(400)  # past the pause before a search: its request is held
    assert held, "the picker did not look for the words typed"
    search.fill("javascript:alert(1)")
    page.keyboard.press("Enter")
    expect(picker.get_by_role("status")).to_contain_text("https:// address")
    for late in held:
        late.continue_()
    page.wait_for_timeout(500)
    expect(picker).to_be_visible()
    page.unroute("**/links/?q=*")
    page.keyboard.press("Escape")
    expect(picker).to_be_hidden()
    assert _value(page) == before

    # In Markdown mode Ctrl+K opens the same picker for the plain box.
    page.get_by_role("button", name="Markdown mode").click()
    plain = page.locator("textarea#id_body")
    plain.press("Control+End")
    plain.type(" See ")
    plain.press("Control+k")
    expect(search).to_be_focused()
    search.fill("shin")
    expect(picker.get_by_role("status")).to_contain_text("1 article found")
    page.keyboard.press("Enter")
    expect(picker).to_be_hidden()
    expect(plain).to_be_focused()
    linked = " See [Shin Splints Explained](/articles/shin-splints-explained/)"
    assert _value(page) == before + linked

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved revision 2.")).to_be_visible()
    article.refresh_from_db()
    assert "[Why Knees Hurt](/articles/why-knees-hurt/)" in article.body
    context.close()
