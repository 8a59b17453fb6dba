"""Never lose a word, in Chromium: typed text is autosaved and offered back in a new
browser, a workflow step pressed without saving takes the text with it, and a save sent
after the session ended comes back after signing in. The editor stays axe-clean and fits
at desktop and phone widths."""

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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.both_databases,
    pytest.mark.django_db(transaction=True),
]

FIRST = "A shin splint is pain along the inner edge of the shin bone, typed in a closed browser."
MORE = " Rest and ice help; it was typed again in another browser."
LATE = "Typed while the session ran out, and not lost."


@pytest.fixture(autouse=True)
def _media(transactional_db: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _accessible(page: Page, name: str, width: int, shots: Path) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, f"{name}:\n{results.generate_report()}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    page.screenshot(path=shots / f"{name}.png", full_page=True)


def test_typed_text_survives_a_closed_browser_an_unsaved_step_and_an_ended_session(
    browser: Browser, live_server: Any, shots: Path
) -> None:
    writer = people.make_staff_writer()
    people.make_staff_editor()
    topic = Topic.objects.create(name="Health", slug="health")
    splint = workflow.create_article(
        by=writer, title="What is a Shin Splint?", topic=topic, body="Pain along the shin."
    )
    stitch = workflow.create_article(
        by=writer, title="What is a Stitch?", topic=topic, body="A pain in the side."
    )

    # Typed, autosaved, then the browser is gone.
    first = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    page = first.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, "wendy")
    page.goto(f"/newsroom/articles/{splint.pk}/edit/")
    _accessible(page, "editor-1280", 1280, shots)
    page.get_by_label("Body").fill(FIRST)
    expect(page.locator("#autosave-status")).to_contain_text("Unsaved changes kept for you at")
    with page.expect_event("dialog") as asked:  # leaving with unsaved changes asks first
        page.close(run_before_unload=True)
    assert asked.value.type == "beforeunload"
    asked.value.accept()
    first.close()

    # A new browser, signed in as the same writer, is offered the text back.
    second = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 390, "height": 844}
    )
    page = second.new_page()
    page.set_default_timeout(20_000)
    sign_in(page, "wendy")
    page.goto(f"/newsroom/articles/{splint.pk}/edit/")
    offer = page.get_by_role("heading", name="You have unsaved changes from")
    expect(offer).to_contain_text("restore them?")
    _accessible(page, "editor-offer-390", 390, shots)
    page.get_by_role("button", name="Restore them").click()
    expect(page.locator("#id_body")).to_have_value(FIRST)

    # "Submit for review" pressed without saving takes the text with it.
    page.get_by_label("Body").press("Control+End")
    page.get_by_label("Body").type(MORE)
    page.get_by_role("button", name="Submit for review").click()
    told = page.get_by_role("status").first
    expect(told).to_contain_text("Saved revision 2. Submitted for review.")
    splint.refresh_from_db()
    assert splint.body == FIRST + MORE and splint.stage == Article.Stage.IN_REVIEW

    # The session ends while the writer types; Save leads to signing in, then back to the text.
    page.goto(f"/newsroom/articles/{stitch.pk}/edit/")
    page.get_by_label("Body").fill(LATE)
    second.clear_cookies(name="sessionid")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    expect(page.locator("#kept-text")).to_contain_text("it is kept")
    page.get_by_label("Username").fill("wendy")
    page.get_by_label("Password").fill(people.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#id_body")).to_have_value(LATE)
    expect(page.get_by_role("status").first).to_contain_text("back in the form")
    _accessible(page, "editor-kept-390", 390, shots)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status").first).to_contain_text("Saved revision 2.")
    stitch.refresh_from_db()
    assert stitch.body == LATE
    second.close()
