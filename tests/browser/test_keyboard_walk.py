"""A reader with a keyboard alone, in Chromium: home, an article, the discussion by its skip
link, a post, a refused post (the focus lands on "There is a problem", whose link takes it
to the field), and a password reset. At every key the focus is visible and moves on in the
order of the page; axe finds nothing on the pages this walk changed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: (el.innerText || el.value || "").trim().slice(0, 80),
    cls: el.className,
    visible: outline || style.boxShadow !== "none",
    order: Array.from(document.querySelectorAll("*")).indexOf(el),
  };
}"""


class Walk:
    """Key presses with the focus checked after each: visible, and later in the page."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.last = -1
        self.steps = 0

    def focused(self) -> dict[str, Any]:
        return dict(self.page.evaluate(FOCUSED))

    def new_page(self) -> None:
        self.last = -1

    def check(self, what: dict[str, Any], moved_on: bool = True) -> None:
        assert what["visible"], f"focus not visible on {what}"
        if moved_on:
            assert what["order"] > self.last, f"focus went back up the page to {what}"
        self.last = what["order"]
        self.steps += 1

    def tab_to(self, wanted: Any, limit: int = 120) -> dict[str, Any]:
        for _ in range(limit):
            self.page.keyboard.press("Tab")
            now = self.focused()
            self.check(now)
            if wanted(now):
                return now
        raise AssertionError("never reached by Tab")


def axe_clean(page: Page, axe: Axe, name: str, problems: dict[str, str]) -> None:
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        problems[name] = results.generate_report()


def test_a_keyboard_reader_walks_from_home_to_a_reset(
    browser: Any, live_server: Any, shots: Path, make_article: Any, run_worker: Any
) -> None:
    article: Article = make_article("What is a Muscle Cramp?")
    post_comment(article=article, body="My calves cramp after long runs.")
    User.objects.create_user("walker", "walker@example.org", "old passphrase 11")
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    walk, axe, problems = Walk(page), Axe(), {}

    page.goto("/")
    walk.tab_to(lambda f: f["tag"] == "a" and f["text"] == "What is a Muscle Cramp?")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("What is a Muscle Cramp?")
    axe_clean(page, axe, "article", problems)

    # The second stop is the skip link to the discussion; it takes the focus there.
    walk.new_page()
    walk.tab_to(lambda f: f["text"] == "Skip to content", limit=1)
    walk.tab_to(lambda f: f["text"] == "Skip to the discussion", limit=1)
    page.keyboard.press("Enter")
    there = walk.focused()
    assert there["id"] == "discuss"
    walk.check(there)
    page.screenshot(path=shots / "1-skipped-to-the-discussion.png")

    walk.tab_to(lambda f: f["id"] == "id_body")
    page.keyboard.type("Stretching before bed helps me.")
    walk.tab_to(lambda f: f["text"] == "Post Anonymously")
    page.keyboard.press("Enter")
    post = page.locator("#post-2")
    expect(post.get_by_role("heading")).to_have_text("Post 2, by anonymous")
    expect(post).to_contain_text("Stretching before bed helps me.")

    # An empty post is refused: the focus starts on the summary, its link moves it on.
    walk.new_page()
    walk.tab_to(lambda f: f["id"] == "id_body")
    walk.tab_to(lambda f: f["text"] == "Post Anonymously")
    page.keyboard.press("Enter")
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = walk.focused()
    assert "error-summary" in summary["cls"], summary
    walk.new_page()
    walk.check(summary)
    page.screenshot(path=shots / "2-refused-post.png")
    axe_clean(page, axe, "refused-post", problems)
    link = walk.tab_to(lambda f: f["tag"] == "a")
    assert link["text"] == "Your comment: Please write something before posting."
    page.keyboard.press("Enter")
    field = walk.focused()
    assert field["id"] == "id_body"
    walk.check(field)

    # On to the reset: "forgot password?" sits after the form.
    walk.tab_to(lambda f: f["text"] == "forgot password?")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")
    axe_clean(page, axe, "reset", problems)
    walk.new_page()
    walk.tab_to(lambda f: f["id"] == "id_email")
    page.keyboard.type("walker@example.org")
    walk.tab_to(lambda f: f["text"] == "Send reset link")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    expect(page.locator("main")).to_contain_text("expires in 3 hours")
    axe_clean(page, axe, "reset-sent", problems)
    page.screenshot(path=shots / "3-reset-sent.png")

    # The refused sign-up, and a phone's width, pass axe too.
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/accounts/signup/")
    page.get_by_role("button", name="Create account").click()
    axe_clean(page, axe, "refused-sign-up", problems)
    # What this walk changed (the summary, the fields) fits; the site header is its own.
    wide = page.evaluate(
        "() => Array.from(document.querySelectorAll('main *'))"
        ".filter(e => e.getBoundingClientRect().right > 321).map(e => e.outerHTML.slice(0, 80))"
    )
    assert wide == [], "no sideways scroll at 320 px"
    page.screenshot(path=shots / "4-refused-sign-up-320.png", full_page=True)
    page.goto(article.get_absolute_url() + "?order=oldest")
    axe_clean(page, axe, "oldest-first", problems)
    context.close()
    assert walk.steps > 10
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
