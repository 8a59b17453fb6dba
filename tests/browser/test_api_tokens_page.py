"""A reader makes an API token on their settings page, on a phone: it is shown once, the
page stays accessible and fits, and the token works at once."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.test import Client
from playwright.sync_api import Browser

from tests import people
from tests.browser.test_accessibility import WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reader_makes_and_revokes_a_token_on_a_phone(  # type: ignore[no-untyped-def]
    browser: Browser, live_server, shots
) -> None:
    people.make_reader()
    context = browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,  # for axe, injected by script
        viewport={"width": 390, "height": 844},
    )
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill(people.PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto("/accounts/settings/")
    page.get_by_label("Token name").fill("My phone app")
    page.get_by_label("Post, edit and delete your own posts, and report posts").check()
    page.get_by_role("button", name="Make a token").click()
    token = page.get_by_label("Your new token").input_value()
    assert token.startswith("kh_")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    page.screenshot(path=shots / "token-made-phone.png", full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    api = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.get("/api/v1/me/").json()["scopes"] == ["post", "read"]
    page.get_by_role("button", name="Revoke My phone app").click()
    page.wait_for_url("**/accounts/settings/")
    assert "nothing can use it any more" in page.content()
    assert api.get("/api/v1/me/").status_code == 401
    context.close()
