"""The newsroom's desk, editor, history and diff pages in Chromium: accessible (axe, WCAG 2.2
AA), fit for a phone, and the live preview following the text as it is typed."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people
from tests.browser.test_accessibility import WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(transactional_db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(people.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def _article(writer: User, editor: User) -> Article:
    topic = Topic.objects.create(name="Health", slug="health")
    article = workflow.create_article(
        by=writer, title="What is a Stitch?", topic=topic, body="A pain in the side.",
        sources="Runners' Journal, 2019",
    )  # fmt: skip
    article.refresh_from_db()
    sharper = {"body": "A sharp pain in the side."}
    workflow.save_revision(article=article, by=writer, content=sharper, base=1, note="Sharper.")
    workflow.submit_for_review(article=article, by=writer)
    workflow.comment(article=article, by=editor, note="Say why runners get it.")
    return article


def test_newsroom_pages_are_accessible_on_desktop_and_phone(
    browser: Browser, live_server: Any, shots: Any
) -> None:
    writer = people.make_staff_writer()
    editor = people.make_staff_editor()
    article = _article(writer, editor)
    pages = {
        "desk": "/newsroom/",
        "edit": f"/newsroom/articles/{article.pk}/edit/",
        "history": f"/newsroom/articles/{article.pk}/history/",
        "compare": f"/newsroom/articles/{article.pk}/history/compare/?from=1&to=2",
        "new": "/newsroom/articles/new/",
    }
    problems = {}
    for size, (width, height) in {"desktop": (1200, 900), "phone": (390, 844)}.items():
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=True,  # for axe, injected by script
            viewport={"width": width, "height": height},
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, "ed")
        for name, url in pages.items():
            page.goto(url)
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            if results.violations_count:
                problems[f"{name}-{size}"] = results.generate_report()
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, size)
            page.screenshot(path=shots / f"{name}-{size}.png", full_page=True)
        # A refused save, as it comes back, passes too.
        page.goto(pages["edit"])
        page.get_by_label("Title").fill("")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".field-title .errors")).to_contain_text("required")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            problems[f"refused-{size}"] = results.generate_report()
        context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_the_preview_follows_the_text_as_it_is_typed(
    browser: Browser, live_server: Any, shots: Any
) -> None:
    writer = people.make_staff_writer()
    article = _article(writer, people.make_staff_editor())
    workflow.request_changes(article=article, by=people.make_staff_editor("ed2", "Edna Two"),
                             note="Say why.")  # fmt: skip
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    errors: list[str] = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    sign_in(page, "wendy")
    page.goto(f"/newsroom/articles/{article.pk}/edit/")
    preview = page.frame_locator("#preview-frame").locator("body")
    expect(preview).to_contain_text("A sharp pain in the side.")  # drawn on load
    body = page.get_by_label("Body")
    body.fill(
        "## Why runners get it\n\nThe **diaphragm** tires.\n\n"
        '<img src="/static/knowhow/favicon.svg" alt="" onerror=alert(1)>'
    )
    expect(preview.get_by_role("heading", name="Why runners get it")).to_be_visible()
    expect(preview.locator("strong")).to_have_text("diaphragm")
    assert "onerror" not in preview.inner_html()
    page.screenshot(path=shots / "live-preview.png", full_page=True)
    assert errors == []  # no CSP refusal, no script error
    context.close()


def test_a_heading_in_the_preview_looks_as_on_the_public_page(
    browser: Browser, live_server: Any, shots: Any
) -> None:
    writer = people.make_staff_writer()
    editor = people.make_staff_editor()
    topic = Topic.objects.create(name="Health", slug="health")
    article = workflow.create_article(
        by=editor, title="What is a Stitch?", topic=topic, written_by=writer.person,
        body="## Why runners get it\n\n| Pace | Risk |\n|---|---|\n| Fast | High |",
    )  # fmt: skip
    workflow.publish(article=article, by=editor)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(article.get_absolute_url())
    public = page.locator(".article-body h2")
    size = public.evaluate("h => getComputedStyle(h).fontSize")
    cell = page.locator(".article-body td").first.evaluate(
        "c => getComputedStyle(c).borderTopWidth"
    )
    sign_in(page, "ed")
    page.goto(f"/newsroom/articles/{article.pk}/edit/")
    heading = page.frame_locator("#preview-frame").get_by_role("heading", name="Why runners get it")
    expect(heading).to_be_visible()
    assert heading.evaluate("h => getComputedStyle(h).fontSize") == size
    assert heading.evaluate("h => getComputedStyle(h).textTransform") == "none"
    in_preview = page.frame_locator("#preview-frame").locator(".article-body td").first
    assert in_preview.evaluate("c => getComputedStyle(c).borderTopWidth") == cell
    page.screenshot(path=shots / "preview-is-the-page.png", full_page=True)
    context.close()
