"""A moderator's walk in Chromium: a held post waits, is approved from the queue by keyboard,
and appears at its number; and axe checks every moderation page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Browser, BrowserContext, Page, expect

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation import services
from tests.people import PASSWORD, make_moderator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.both_databases,
    pytest.mark.django_db(transaction=True),
]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def sign_in(page: Page, username: str) -> None:
    page.goto("/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def new_page(browser: Browser, live_server: Any, **options: Any) -> tuple[BrowserContext, Page]:
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1200, "height": 900}, **options
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_held_post_is_approved_by_keyboard_and_appears_at_its_number(
    page: Page, shots: Path, browser: Browser, live_server: Any, settings: Any, make_article: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    article: Article = make_article("What are Electrolytes?")
    walker = User.objects.create_user("walker", "walker@example.org", PASSWORD)
    make_moderator()
    post_comment(article=article, body="Salt, potassium and magnesium, mostly.", author=walker)

    # A reader posts anonymously; the post is held and only they see it, marked as waiting.
    page.goto(article.get_absolute_url())
    page.get_by_label("Your comment", exact=True).fill("Coconut water helps me after a run.")
    page.get_by_role("button", name="Post Anonymously").click()
    held = page.locator("#post-2")
    expect(held.get_by_role("heading")).to_have_text("Post 2, by anonymous")
    expect(held).to_contain_text("Awaiting moderation")
    page.screenshot(path=shots / "1-reader-sees-awaiting.png", full_page=True)

    # Meanwhile a signed-in reader's post is published as Post 3.
    post_comment(article=article, body="Sports drinks have too much sugar.", author=walker)

    context, mod = new_page(browser, live_server)
    sign_in(mod, "moderator")
    mod.get_by_role("navigation", name="Site").get_by_role("link", name="Moderation").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    item = mod.get_by_role("article", name="Post 2 on What are Electrolytes?")
    expect(item).to_contain_text("Coconut water helps me after a run.")
    expect(item).to_contain_text("anonymous posts need approval")
    expect(mod.get_by_label("Select Post 2 on What are Electrolytes?")).not_to_be_checked()
    mod.screenshot(path=shots / "2-queue.png", full_page=True)

    # By keyboard: a note, then Tab to Approve, which shows where focus is, then Enter.
    note = mod.get_by_label("Note for the log (optional) on Post 2 on What are Electrolytes?")
    note.focus()
    mod.keyboard.type("On topic and harmless.")
    mod.keyboard.press("Tab")
    approve = mod.get_by_role("button", name="Approve Post 2 on What are Electrolytes?")
    expect(approve).to_be_focused()
    outline = approve.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline == "solid", f"focus is not visible on the Approve button ({outline})"
    mod.screenshot(path=shots / "3-approve-focused.png")
    mod.keyboard.press("Enter")
    expect(mod.get_by_role("status")).to_have_text("Approved Post 2 on What are Electrolytes?")
    expect(mod.get_by_text("The queue is empty")).to_be_visible()
    mod.screenshot(path=shots / "4-queue-after-approval.png", full_page=True)

    mod.get_by_role("navigation", name="Moderation").get_by_role("link", name="Dashboard").click()
    expect(mod.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(
        mod.get_by_role("img", name="Posts and moderation per day, last 30 days")
    ).to_be_visible()
    mod.screenshot(path=shots / "5-dashboard.png", full_page=True)
    mod.get_by_role("link", name="Log", exact=True).click()
    expect(mod.get_by_role("table")).to_contain_text("On topic and harmless.")
    mod.screenshot(path=shots / "6-log.png", full_page=True)
    context.close()

    # Anyone now sees the approved post at the number it was given when it was sent.
    context, visitor = new_page(browser, live_server)
    visitor.goto(article.get_absolute_url())
    headings = visitor.locator("#discuss article.post h3")
    expect(headings).to_have_text([re.compile(rf"^Post {n}, by \w+$") for n in (3, 2, 1)])
    expect(visitor.locator("#post-2")).to_contain_text("Coconut water helps me after a run.")
    expect(visitor.locator("#post-2")).not_to_contain_text("Awaiting moderation")
    visitor.screenshot(path=shots / "7-article-for-everyone.png", full_page=True)
    context.close()


def check(page: Page, axe: Axe, name: str, problems: dict[str, str]) -> None:
    """axe's findings on the page, under `name`; and the page must not scroll sideways."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        problems[name] = results.generate_report()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name} scrolls sideways ({width}px)"  # type: ignore[index]


def test_moderation_pages_have_no_wcag_aa_violations(
    browser: Browser, live_server: Any, shots: Path, settings: Any, make_article: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    moderator = make_moderator()
    walker = User.objects.create_user("walker", "walker@example.org", PASSWORD)
    article: Article = make_article("What are Electrolytes?")
    other: Article = make_article("Why do Muscles Cramp at Night?")
    post_comment(article=article, body="A post for the dashboard.", author=walker)
    held = submit_post(
        article=article,
        body="Buy *cheap* salts at https://spam.example/now",
        address=address_of("203.0.113.5"),
    ).post
    submit_post(article=other, body="Stretch your calves.", address=address_of("203.0.113.6"))
    reported = post_comment(article=other, body="Ignore doctors entirely.", author=walker)
    for n in range(2):
        services.flag_post(
            post=reported,
            reason="harmful",
            note="Dangerous advice.",
            reporter=None,
            address=address_of(f"198.51.100.{n}"),
        )
    services.edit_post(post=held, moderator=moderator, body="Buy *cheap* salts.", note="Link out.")
    services.ban(kind=Ban.Kind.ACCOUNT, moderator=moderator, reason="Adverts.", user=walker)
    services.ban(kind=Ban.Kind.ADDRESS, moderator=moderator, reason="Bot.", post=held)
    services.ban(kind=Ban.Kind.RANGE, moderator=moderator, reason="Scraper.", cidr="192.0.2.0/24")
    services.block_term(kind="word", value="casino", moderator=moderator)
    services.block_term(kind="domain", value="spam.example", moderator=moderator)

    pages = {
        "queue": "/moderation/",
        "filtered": "/moderation/?show=reported&reason=report:harmful&sort=newest",
        "edit": f"/moderation/posts/{held.pk}/edit/",
        "ban": f"/moderation/posts/{reported.pk}/ban/",
        "bans": "/moderation/bans/",
        "blocklist": "/moderation/blocklist/",
        "log": "/moderation/log/",
        "dashboard": "/moderation/dashboard/",
    }
    axe = Axe()
    problems: dict[str, str] = {}
    for size, viewport in (("desktop", (1280, 900)), ("phone", (390, 844))):
        # axe is injected by script, which the site's Content-Security-Policy would refuse.
        context, page = new_page(browser, live_server, bypass_csp=True)
        page.set_viewport_size({"width": viewport[0], "height": viewport[1]})
        sign_in(page, "moderator")

        for name, url in pages.items():
            page.goto(url)
            check(page, axe, f"{name}-{size}", problems)
            page.screenshot(path=shots / f"{name}-{size}.png", full_page=True)
        # Forms as they come back with errors must pass too.
        page.goto(pages["edit"])
        page.get_by_role("button", name="Save the edit").click()
        expect(page.get_by_role("alert")).to_contain_text("Say why you edited the post")
        check(page, axe, f"edit-refused-{size}", problems)
        page.goto(pages["bans"])
        page.get_by_label("Address range", exact=True).fill("not a range")
        page.get_by_role("button", name="Ban this range").click()
        expect(page.get_by_role("alert")).to_contain_text("is not an address range")
        check(page, axe, f"range-refused-{size}", problems)
        page.screenshot(path=shots / f"range-refused-{size}.png", full_page=True)
        context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
