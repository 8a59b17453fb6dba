"""The writing surface in Chromium: a toolbar and the usual shortcuts over the Markdown, a
Markdown mode, the plain box without JavaScript, and no editor script on public pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people
from tests.browser.test_newsroom_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(transactional_db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _draft() -> Article:
    writer = people.make_staff_writer()
    topic = Topic.objects.create(name="Health", slug="health")
    return workflow.create_article(by=writer, title="What is a Stitch?", topic=topic, body="")


def _open(browser: Browser, live_server: Any, article: Article, **options: Any) -> Page:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, **options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "wendy")
    page.goto(f"/newsroom/articles/{article.pk}/edit/")
    return page


def test_the_toolbar_and_shortcuts_write_markdown_into_the_form(
    browser: Browser, live_server: Any, shots: Any
) -> None:
    article = _draft()
    page = _open(browser, live_server, article)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.reload()
    toolbar = page.get_by_role("toolbar", name="Text formatting")
    body = page.get_by_role("textbox", name="Body")
    body.click()
    page.keyboard.type("Why runners get it")
    toolbar.get_by_role("button", name="Heading", exact=True).click()
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("The ")
    page.keyboard.press("Control+b")
    page.keyboard.type("diaphragm")
    page.keyboard.press("End")
    page.keyboard.type(" tires, ")
    page.keyboard.press("Control+i")
    page.keyboard.type("often")
    page.keyboard.press("End")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Rest")
    toolbar.get_by_role("button", name="Bulleted list").click()
    toolbar.get_by_role("button", name="Table").click()
    expected = (
        "## Why runners get it\n\nThe **diaphragm** tires, *often*\n\n- Rest\n\n"
        "| Heading | Heading |\n| --- | --- |\n| Text | Text |\n\n"
    )
    expect(page.locator("#id_body")).to_have_value(expected)  # what the form sends
    toolbar.get_by_role("button", name="Undo").click()
    expect(page.locator("#id_body")).not_to_have_value(re.compile(r"\| Heading"))
    toolbar.get_by_role("button", name="Redo").click()
    expect(page.locator("#id_body")).to_have_value(expected)
    preview = page.frame_locator("#preview-frame")
    expect(preview.get_by_role("heading", name="Why runners get it")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("diaphragm")
    page.screenshot(path=shots / "writing-surface.png", full_page=True)

    # Ctrl+K opens the link picker, which takes a typed address for the selection.
    page.keyboard.press("Control+End")
    page.keyboard.type("\n\nRead more")
    page.keyboard.press("Shift+Home")
    page.keyboard.press("Control+k")
    picker = page.get_by_role("dialog", name="Link to an article or an address")
    picker.get_by_label("Find an article, or an address").fill("https://example.org/stitch")
    page.keyboard.press("Enter")
    expect(picker).to_be_hidden()
    expect(page.locator("#id_body")).to_have_value(
        expected + "\n\n[Read more](https://example.org/stitch)"
    )

    # Markdown mode shows the plain box with the same text; typed there, it comes back.
    toolbar.get_by_role("button", name="Markdown mode").click()
    plain = page.get_by_role("textbox", name="Body")  # the one shown: the plain box
    expect(plain).to_have_js_property("tagName", "TEXTAREA")
    plain.press("Control+End")
    plain.type(" now")
    toolbar.get_by_role("button", name="Markdown mode").click()
    expect(body).to_contain_text("(https://example.org/stitch) now")

    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved revision 2.")).to_be_visible()
    article.refresh_from_db()
    assert "The **diaphragm** tires, *often*" in article.body
    assert article.body.endswith("[Read more](https://example.org/stitch) now")
    assert errors == []  # no refusal by the page's Content-Security-Policy
    page.context.close()


def test_without_javascript_the_markdown_box_still_works(
    browser: Browser, live_server: Any
) -> None:
    article = _draft()
    page = _open(browser, live_server, article, java_script_enabled=False)
    expect(page.get_by_role("toolbar")).to_have_count(0)
    page.get_by_label("Body").fill("## Plain\n\nTyped in the box.")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved revision 2.")).to_be_visible()
    article.refresh_from_db()
    assert article.body == "## Plain\n\nTyped in the box."
    page.context.close()


def test_the_public_article_page_loads_no_editor_script(browser: Browser, live_server: Any) -> None:
    article = _draft()
    editor = people.make_staff_editor()
    workflow.publish(article=article, by=editor)
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    page.goto(article.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("What is a Stitch?")
    assert not [url for url in scripts if "/newsroom/" in url], scripts
    # A member of staff reading it gets no editor either.
    sign_in(page, "ed")
    scripts.clear()
    page.goto(article.get_absolute_url())
    assert not [url for url in scripts if "writing" in url or "editor" in url], scripts
    context.close()


def test_a_picture_put_in_the_text_is_shown_with_srcset_on_the_published_page(
    browser: Browser, live_server: Any
) -> None:
    from knowhow.images.services import upload_image
    from tests.images import pictures

    article = _draft()
    editor = people.make_staff_editor()
    picture = upload_image(
        file=pictures.upload(pictures.jpeg(1200, 800)), by=None, alt="A runner holding her side"
    )
    page = _open(browser, live_server, article)
    body = page.get_by_role("textbox", name="Body")
    body.click()
    page.keyboard.type("Breathe out slowly.")
    page.get_by_label("Caption of a picture put in the text").fill("Out on the left foot")
    page.get_by_role("button", name="Put “A runner holding her side” in the text").click()
    expect(page.locator("#id_body")).to_have_value(
        f'Breathe out slowly.\n\n![A runner holding her side](picture:{picture.pk} "Out on the '
        'left foot")\n\n'
    )
    frame = page.frame_locator("#preview-frame")
    expect(frame.locator("figure img")).to_have_attribute("srcset", picture.srcset)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Saved revision 2.")).to_be_visible()
    workflow.publish(article=article, by=editor)
    page.goto(article.get_absolute_url())
    shown = page.locator(".article-body figure img")
    expect(shown).to_have_attribute("srcset", picture.srcset)
    expect(shown).to_have_attribute("alt", "A runner holding her side")
    expect(page.locator(".article-body figcaption")).to_have_text("Out on the left foot")
    page.context.close()
