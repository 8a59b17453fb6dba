"""The finished editor page in Chromium: the desk at a glance, choosing the writer, the
picture picker and its search, and a refused save that puts the focus on what to fix;
axe-clean and without sideways scrolling at desktop and phone widths."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as Pillow
from playwright.sync_api import Browser, Page, expect

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.images.models import Image
from knowhow.images.services import upload_image
from tests import people
from tests.browser.test_accessibility import WCAG_TAGS
from tests.browser.test_newsroom_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_TITLE = (
    "Why does a stitch in the side hurt so much more when running downhill after a "
    "large lunch, and what do sports physiotherapists recommend doing about it?"
)
COLOURS = ["steelblue", "seagreen", "peru", "slateblue", "indianred", "teal", "olive"]


@pytest.fixture(autouse=True)
def _media(transactional_db: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _png(n: int) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Pillow.new("RGB", (320, 200), COLOURS[n % len(COLOURS)]).save(buffer, "PNG")
    return SimpleUploadedFile(f"picture-{n}.png", buffer.getvalue(), content_type="image/png")


def _newsroom() -> dict[str, Any]:
    """A newsroom with work in every state: a long-titled request for changes, a live
    article with changes waiting, and more pictures than the picker shows at once."""
    writer = people.make_staff_writer()
    editor = people.make_staff_editor()
    people.make_staff_writer("walt", "Walt Other")
    topic = Topic.objects.create(name="Health", slug="health")
    pictures = [
        upload_image(file=_png(n), alt=f"A runner on hill number {n}", by=editor) for n in range(26)
    ]
    pictures[0].caption = "From the physiotherapy archive"
    pictures[0].save()
    asked = workflow.create_article(by=writer, title=LONG_TITLE, topic=topic, body="It hurts.")
    workflow.submit_for_review(article=asked, by=writer)
    workflow.request_changes(
        article=asked,
        by=editor,
        note="Say which muscle cramps, and cite the 2019 study for the downhill claim.",
    )
    live = workflow.create_article(
        by=writer, title="What is a Stitch?", topic=topic, body="A pain.", lead_image=pictures[-1]
    )
    workflow.publish(article=live, by=editor)
    workflow.save_revision(article=live, by=writer, content={"body": "A sharp pain."}, base=1)
    return {"asked": asked, "live": live, "first_picture": pictures[0]}


def _check(page: Page, name: str, width: int, shots: Path, problems: dict[str, str]) -> None:
    for thumbnail in page.locator("img[loading=lazy]").all():  # load what a reader scrolls to
        thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("[...document.images].every((image) => image.complete)")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        problems[name] = results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= width, name
    page.screenshot(path=shots / f"{name}.png", full_page=True)


def test_the_finished_editor_pages_at_desktop_and_phone_widths(
    browser: Browser, live_server: Any, shots: Path
) -> None:
    made = _newsroom()
    problems: dict[str, str] = {}
    for size, (width, height) in {"desktop": (1280, 900), "phone": (390, 844)}.items():
        context = browser.new_context(
            base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": height}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)

        sign_in(page, "wendy")
        page.goto("/newsroom/")
        glance = page.get_by_role("navigation", name="The desk at a glance")
        expect(glance.get_by_role("link", name="2 Your articles")).to_be_visible()
        expect(page.locator("blockquote.asked")).to_contain_text("Say which muscle cramps")
        expect(page.locator("#mine")).to_contain_text("Changes waiting")
        expect(page.locator("#mine").get_by_role("link", name="On the site")).to_be_visible()
        _check(page, f"desk-writer-{size}", width, shots, problems)
        page.get_by_role("button", name="Sign out").click()

        sign_in(page, "ed")
        page.goto("/newsroom/")
        _check(page, f"desk-editor-{size}", width, shots, problems)
        page.goto("/newsroom/articles/new/")
        expect(page.get_by_label("Written By").locator("option:checked")).to_have_text("Ed Editor")
        _check(page, f"new-{size}", width, shots, problems)
        page.goto(f"/newsroom/articles/{made['live'].pk}/edit/")
        expect(page.locator(".current-picture")).to_contain_text("A runner on hill number 25")
        # The picture loads (a loaded machine may take more than the default 5 s). It is a
        # lazy one: Chromium may wait for it to come near the viewport before asking.
        page.locator(".current-picture img").scroll_into_view_if_needed()
        expect(page.locator(".current-picture img")).to_have_js_property(
            "complete", True, timeout=20_000
        )
        assert page.locator(".picture-choice").count() == 25  # 24 pictures and "none"
        _check(page, f"edit-pictures-{size}", width, shots, problems)
        page.goto(f"/newsroom/articles/{made['asked'].pk}/edit/")
        _check(page, f"edit-reassign-{size}", width, shots, problems)
        context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_an_editor_finds_an_old_picture_gives_the_article_away_and_is_told_what_to_fix(
    browser: Browser, live_server: Any, shots: Path
) -> None:
    made = _newsroom()
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "ed")
    page.goto(f"/newsroom/articles/{made['asked'].pk}/edit/")

    # Enter in the picture search finds pictures; the typed body is kept, nothing saved.
    page.get_by_label("Body").fill("Typed, not saved yet.")
    page.get_by_label("Find an uploaded picture by its words").fill("physiotherapy")
    page.get_by_label("Find an uploaded picture by its words").press("Enter")
    expect(page.locator("#picture-count")).to_have_text("1 picture matches “physiotherapy”.")
    expect(page.locator("#id_body")).to_have_value("Typed, not saved yet.")
    assert Article.objects.get(pk=made["asked"].pk).latest_revision.number == 1  # type: ignore[union-attr]
    page.get_by_label("A runner on hill number 0").check()

    # A refused save: the focus goes to the summary, whose link leads to the field.
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Title: This field is required.")
    expect(page.locator("#id_body")).to_have_value("Typed, not saved yet.")
    page.screenshot(path=shots / "refused-save.png", full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    summary.get_by_role("link", name="Title: This field is required.").click()
    page.get_by_label("Title").fill("What is a Stitch, and Why?")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Saved revision 2.")
    article = Article.objects.get(pk=made["asked"].pk)
    assert article.lead_image == Image.objects.get(pk=made["first_picture"].pk)

    # The editor gives the article to Walt.
    page.get_by_label("Written By").select_option(label="Walt Other")
    page.get_by_role("button", name="Change the writer").click()
    expect(page.get_by_role("status")).to_contain_text("Walt Other writes")
    expect(page.locator("#log")).to_contain_text("From Wendy Writer to Walt Other.")
    page.screenshot(path=shots / "reassigned.png", full_page=True)
    context.close()


def test_without_javascript_the_summary_is_first_and_the_search_still_works(
    browser: Browser, live_server: Any, shots: Path
) -> None:
    made = _newsroom()
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in(page, "ed")
    page.goto(f"/newsroom/articles/{made['asked'].pk}/edit/")
    page.get_by_label("Find an uploaded picture by its words").fill("number 3")
    page.get_by_role("button", name="Find pictures").click()
    expect(page.locator("#picture-count")).to_contain_text("match “number 3”")
    # Enter in the search box finds pictures; Enter in the title then saves.
    page.get_by_label("Body").fill("Typed before searching.")
    page.get_by_label("Find an uploaded picture by its words").fill("physiotherapy")
    page.get_by_label("Find an uploaded picture by its words").press("Enter")
    expect(page.locator("#picture-count")).to_have_text("1 picture matches “physiotherapy”.")
    expect(page.locator("#id_body")).to_have_value("Typed before searching.")
    page.get_by_label("Title").press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Saved revision 2.")
    page.get_by_label("Title").fill("")
    page.get_by_role("button", name="Save", exact=True).click()
    first = page.locator("form.editor-form > :not(input):not(button)").first
    expect(first).to_have_id("error-summary")
    page.screenshot(path=shots / "refused-without-script.png", full_page=True)
    context.close()
