"""A moderator's settings page, with the box for the held-post digest: accessible, and fit
for a phone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests import people
from tests.browser.test_accessibility import WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderators_settings_page_is_accessible_on_desktop_and_phone(  # type: ignore[no-untyped-def]
    browser: Browser, live_server, shots
) -> None:
    people.make_moderator()
    for name, viewport in {"desktop": (1200, 900), "phone": (390, 844)}.items():
        context = browser.new_context(
            base_url=live_server.url,
            bypass_csp=True,  # for axe, injected by script
            viewport={"width": viewport[0], "height": viewport[1]},
        )
        page = context.new_page()
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill("moderator")
        page.get_by_label("Password").fill(people.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.goto("/accounts/settings/")
        box = page.get_by_label("Email me, at most hourly, the posts newly awaiting moderation")
        assert box.is_checked() == (name == "desktop")  # on by default; unticked below
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, results.generate_report()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0]
        page.screenshot(path=shots / f"moderator-settings-{name}.png", full_page=True)
        if name == "desktop":
            box.uncheck()
            page.get_by_role("button", name="Save settings").click()
            page.wait_for_url("**/accounts/settings/")
        context.close()
