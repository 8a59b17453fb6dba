"""A moderator acts on the article's thread in Chromium, by keyboard alone: removes a
published post nobody reported; and axe checks the thread as a moderator sees it, held and
shadow-hidden posts included, at desktop and phone widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Locator, Page, expect

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation import services
from tests.browser.test_moderation_walk import WCAG_TAGS, new_page, sign_in
from tests.people import PASSWORD, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def focused_name(page: Page) -> str:
    """The focused element's accessible name, as a screen reader announces it."""
    return str(
        page.evaluate(
            """() => {
                const el = document.activeElement;
                if (el.labels && el.labels.length) return el.labels[0].textContent;
                return el.getAttribute('aria-label') || el.textContent;
            }"""
        )
    ).strip()


def tab_to(page: Page, target: Locator, limit: int = 200) -> list[str]:
    """Press Tab until `target` has focus; the names passed on the way, in order."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return passed
        passed.append(" ".join(focused_name(page).split()))
    raise AssertionError(f"Tab never reached the control; it went through {passed}")


def test_a_moderator_removes_a_published_post_by_keyboard(
    browser: Browser, live_server: Any, shots: Path, make_article: Any
) -> None:
    article: Article = make_article("What are Electrolytes?")
    make_moderator()
    troll = User.objects.create_user("troll", "troll@example.org", PASSWORD)
    post_comment(article=article, body="Salt, potassium and magnesium, mostly.")
    post_comment(article=article, body="Everyone here is an idiot.", author=troll)

    context, mod = new_page(browser, live_server)
    sign_in(mod, "moderator")
    mod.goto(article.get_absolute_url())
    post = mod.locator("#post-2")
    reason = post.get_by_label("Reason (for the log) for Post 2")
    remove = post.get_by_role("button", name="Remove Post 2")
    # From the top of the page, Tab reaches the post, its links, then its controls in order.
    passed = tab_to(mod, reason)
    assert passed[-4:] == ["Post 2", "troll", "Reply to Post 2", "Set reason (optional) for Post 2"]
    mod.keyboard.type("Insults other readers.")
    mod.keyboard.press("Tab")
    expect(remove).to_be_focused()
    outline = remove.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid", f"focus is not visible on the Remove button ({outline})"
    mod.screenshot(path=shots / "1-remove-focused.png")
    after = []
    for _ in range(4):
        mod.keyboard.press("Tab")
        after.append(" ".join(focused_name(mod).split()))
    assert after == [
        "Mark spam Post 2",
        "Edit with a note: Post 2",
        "About the poster of Post 2",
        "Ban… the poster of Post 2",
    ]
    remove.focus()
    mod.keyboard.press("Enter")

    expect(mod.get_by_role("status")).to_have_text("Removed Post 2 on What are Electrolytes?")
    expect(mod.locator("#post-2")).to_contain_text("A post here was removed by a moderator.")
    expect(
        mod.locator("#post-2").get_by_role("link", name="Undo… the decision on Post 2")
    ).to_be_visible()
    assert mod.url.endswith(f"{article.get_absolute_url()}#post-2")
    mod.screenshot(path=shots / "2-after-removal.png", full_page=True)
    context.close()

    context, visitor = new_page(browser, live_server)
    visitor.goto(article.get_absolute_url())
    # The mark, and for its author (who must sign in) the way to ask for a second look.
    expect(visitor.locator("#post-2")).to_have_text(
        "A post here was removed by a moderator. Your post? Ask for a second look"
    )
    expect(visitor.locator("#post-1")).to_contain_text("Salt, potassium and magnesium")
    expect(visitor.locator(".mod-controls")).to_have_count(0)
    context.close()


def test_the_moderators_thread_has_no_wcag_aa_violations(
    browser: Browser, live_server: Any, shots: Path, settings: Any, make_article: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    article: Article = make_article("What are Electrolytes?")
    moderator = make_moderator()
    hidden = User.objects.create_user("hidden", "hidden@example.org", PASSWORD)
    services.ban(kind=Ban.Kind.SHADOW, moderator=moderator, reason="Spam.", user=hidden)
    walker = User.objects.create_user("walker", "walker@example.org", PASSWORD)
    post_comment(article=article, body="Salt, potassium and magnesium, mostly.", author=walker)
    submit_post(
        article=article,
        body="Coconut water helps me after a run, see https://example.org/coconut",
        address=address_of("203.0.113.5"),
    )
    submit_post(
        article=article,
        body="Buy my salts, the best salts.",
        author=hidden,
        address=address_of("203.0.113.6"),
    )
    post_comment(article=article, body="Everyone here is an idiot.", author=walker)

    problems = {}
    for name, viewport in (("desktop", {"width": 1200, "height": 900}), ("phone", PHONE)):
        # axe is injected by script, which the site's Content-Security-Policy would refuse.
        context, page = new_page(browser, live_server, bypass_csp=True)
        page.set_viewport_size(viewport)
        sign_in(page, "moderator")
        page.goto(article.get_absolute_url())
        expect(page.locator("#post-2")).to_contain_text("Held for review")
        expect(page.locator("#post-3")).to_contain_text("Shadow-hidden")
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            problems[name] = results.generate_report()
        page.locator("#discuss").screenshot(path=shots / f"thread-{name}.png")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the {name} page scrolls sideways ({width}px)"
        context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
