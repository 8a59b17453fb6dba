"""The review dashboard and a reviewed article with sources, as a browser shows them:
accessible, and fit for a phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser

from knowhow.articles.models import Article
from tests import people
from tests.browser.test_accessibility import WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": (1200, 900), "phone": (390, 844)}


def test_the_dashboard_and_a_reviewed_article_are_accessible_on_desktop_and_phone(  # type: ignore[no-untyped-def]
    browser: Browser, live_server, shots
) -> None:
    call_command("demo", verbosity=0)
    people.make_staff_editor()
    article = Article.objects.get(slug="why-do-muscles-cramp-at-night")
    for name, (width, height) in VIEWPORTS.items():
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=True,  # for axe, injected by script
            viewport={"width": width, "height": height},
        )
        page = context.new_page()
        page.goto(article.get_absolute_url())
        assert page.get_by_role("link", name="Dr Nadia Ferreira").is_visible()
        page.get_by_role("link", name="[1]").first.click()
        assert page.evaluate("location.hash") == "#source-1"
        assert page.locator("#source-1").is_visible()
        # What the reader sees after the jump: the cited source, marked.
        page.screenshot(path=shots / f"article-cited-source-{name}.png")
        page.screenshot(path=shots / f"article-{name}.png", full_page=True)
        for url in (article.get_absolute_url(), article.get_print_url()):
            page.goto(url)
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            assert results.violations_count == 0, results.generate_report()
            assert page.evaluate("document.documentElement.scrollWidth") <= width

        page.goto("/accounts/login/?next=/newsroom/reviews/")
        page.get_by_label("Username").fill("ed")
        page.get_by_label("Password").fill(people.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/newsroom/reviews/")
        assert page.get_by_role("heading", name="Reviews due", level=1).is_visible()
        assert (
            page.get_by_role("link", name="Why do Muscles Cramp at Night?", exact=True).count() == 1
        )
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, results.generate_report()
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=shots / f"reviews-dashboard-{name}.png", full_page=True)
        context.close()
