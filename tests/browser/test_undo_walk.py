"""Undo, in Chromium: a moderator removes a reported post from the queue, undoes it in place
there, and a visitor sees it back at its number; the undo pages, the log and the queue with
a decided post pass axe at desktop and phone widths."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import services
from knowhow.moderation.models import ModerationAction
from tests.browser.test_moderation_walk import WCAG_TAGS, new_page, sign_in
from tests.people import PASSWORD, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def report(post: Post, times: int = 1) -> None:
    for n in range(times):
        services.flag_post(
            post=post, reason="abuse", note="", reporter=None, address=address_of(f"198.51.10{n}.1")
        )


def test_a_removal_is_undone_in_place_in_the_queue_and_the_post_is_back(
    browser: Browser, live_server: Any, shots: Path, make_article: Any
) -> None:
    article: Article = make_article("What are Electrolytes?")
    make_moderator()
    walker = User.objects.create_user("walker", "walker@example.org", PASSWORD)
    post_comment(article=article, body="Salt, potassium and magnesium.", author=walker)
    good = post_comment(article=article, body="Coconut water helps me.", author=walker)
    post_comment(article=article, body="Bananas, for potassium.", author=walker)
    report(good)

    context, mod = new_page(browser, live_server)
    sign_in(mod, "moderator")
    mod.goto("/moderation/")
    mod.get_by_role("button", name="Remove Post 2 on What are Electrolytes?").click()
    expect(mod.get_by_role("status")).to_have_text("Removed Post 2 on What are Electrolytes?")
    item = mod.get_by_role("article", name="Post 2 on What are Electrolytes?")
    expect(item).to_contain_text("Removed by you")
    mod.screenshot(path=shots / "1-queue-after-removal.png", full_page=True)

    item.get_by_label("Note for the log (optional) on undoing Post 2").fill("Reported by mistake.")
    item.get_by_role("button", name="Undo (removed Post 2 on What are Electrolytes?)").click()
    expect(mod.get_by_role("status")).to_contain_text(
        "Undone: Post 2 on What are Electrolytes? is published again, at its number."
    )
    expect(mod.get_by_text("The queue is empty")).to_be_visible()
    mod.screenshot(path=shots / "2-queue-after-undo.png", full_page=True)
    context.close()

    context, visitor = new_page(browser, live_server)
    visitor.goto(article.get_absolute_url())
    expect(visitor.locator("#discuss article.post h3")).to_have_text(
        [re.compile(rf"^Post {n}, by \w+$") for n in (3, 2, 1)]
    )
    expect(visitor.locator("#post-2")).to_contain_text("Coconut water helps me.")
    context.close()


def check(page: Page, name: str, problems: dict[str, str]) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        problems[name] = results.generate_report()


def test_undo_pages_have_no_wcag_aa_violations(
    browser: Browser, live_server: Any, shots: Path, make_article: Any
) -> None:
    article: Article = make_article("What are Electrolytes?")
    moderator = make_moderator()
    walker = User.objects.create_user("walker", "walker@example.org", PASSWORD)
    troll = User.objects.create_user("troll", "troll@example.org", PASSWORD)
    post_comment(article=article, body="Salt, potassium and magnesium.", author=walker)
    rude = post_comment(article=article, body="You are all idiots.", author=troll)
    spam = post_comment(article=article, body="Cheap pills here.", author=walker)
    reported = post_comment(article=article, body="Coconut water helps me.", author=walker)
    report(reported)
    services.remove_post(post=rude, moderator=moderator, note="Insults.")
    services.mark_spam(post=spam, moderator=moderator, note="Advert.")
    services.ban(
        kind=Ban.Kind.SHADOW, moderator=moderator, reason="Trolling.", user=troll, expires_at=None
    )
    services.remove_post(post=reported, moderator=moderator, note="Off topic.")
    removal = ModerationAction.objects.filter(action="remove").first()
    assert removal is not None

    problems: dict[str, str] = {}
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context, page = new_page(browser, live_server, bypass_csp=True)
        page.set_viewport_size(viewport)
        sign_in(page, "moderator")
        for label, url in (
            ("queue", "/moderation/"),
            ("log", "/moderation/log/"),
            ("undo", f"/moderation/log/{removal.pk}/undo/"),
            ("thread", article.get_absolute_url()),
        ):
            page.goto(url)
            check(page, f"{label}-{name}", problems)
            page.screenshot(path=shots / f"{label}-{name}.png", full_page=True)
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= viewport["width"], f"{label} scrolls sideways at {name} ({width}px)"
        if name == "desktop":
            # Two moderators on the same undo page: the second is refused, the note kept.
            other = context.new_page()
            other.goto(f"/moderation/log/{removal.pk}/undo/")
            page.goto(f"/moderation/log/{removal.pk}/undo/")
            page.get_by_label("Note for the log (optional)").fill("Put back.")
            page.get_by_role("button", name="Undo", exact=True).click()
            expect(page.get_by_role("status")).to_contain_text("Undone: Post")
            other.get_by_label("Note for the log (optional)").fill("Again.")
            other.get_by_role("button", name="Undo", exact=True).click()
            expect(other.get_by_role("alert")).to_contain_text("already undone by moderator")
            expect(other.get_by_label("Note for the log (optional)")).to_have_value("Again.")
            expect(other.get_by_role("button", name="Undo", exact=True)).to_have_count(0)
            check(other, "refused-desktop", problems)
            other.screenshot(path=shots / "refused-desktop.png", full_page=True)
        context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
