"""The search box and results, and "You might also Like", in Chromium: accessible, no CSP
violation, and fitting a phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, ConsoleMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = {
    "results": "/search/?q=muscle+cramp",
    "phrase": '/search/?q="muscle+spasm"',
    "suggestion": "/search/?q=electrolites",
    "common-words": "/search/?q=the+and",
    "article": "/articles/why-do-muscles-cramp-at-night/",
}


def test_search_pages_pass_axe_and_fit_a_phone(browser: Browser, live_server, shots) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", verbosity=0)
    problems = {}
    # axe is injected by script, which the site's Content-Security-Policy would rightly refuse.
    checked = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = checked.new_page()
    for name, url in PAGES.items():
        page.goto(url)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            problems[name] = results.generate_report()
    checked.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())

    refused: list[str] = []

    def note_refusal(message: ConsoleMessage) -> None:
        if "Content Security" in message.text:
            refused.append(message.text)

    for device, viewport in {"desktop": (1200, 900), "phone": (390, 844)}.items():
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": viewport[0], "height": viewport[1]}
        )
        page = context.new_page()
        page.on("console", note_refusal)
        for name, url in PAGES.items():
            page.goto(url)
            page.screenshot(path=shots / f"{name}-{device}.png", full_page=True)
            wide = page.evaluate("document.documentElement.scrollWidth")
            assert wide <= viewport[0], f"{name} is wider than a {device}"
        assert refused == []
        context.close()


def test_the_header_box_searches_without_javascript(browser: Browser, live_server) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", verbosity=0)
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/")
    page.get_by_label("Search articles").fill("honey")
    page.get_by_role("button", name="Search").first.click()
    page.wait_for_url("**/search/?q=honey")
    assert page.get_by_role("link", name="How do Bees Make Honey?").is_visible()
    context.close()
