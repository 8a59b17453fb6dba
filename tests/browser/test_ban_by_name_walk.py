"""Ban by name, in Chromium: after a spammer's posts were marked as spam, a moderator bans
him by name from the bans page, taking his remaining posts, after a confirmation; banning him
again offers to change the ban. The pages pass axe at desktop and phone widths."""

from __future__ import annotations

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
from knowhow.discussion.services import submit_post
from knowhow.moderation import services
from tests.browser.test_moderation_walk import WCAG_TAGS, new_page, sign_in
from tests.people import PASSWORD, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def check(page: Page, name: str, problems: dict[str, str], shots: Path) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        problems[name] = results.generate_report()
    page.screenshot(path=shots / f"{name}.png", full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{name} scrolls sideways ({width}px)"  # type: ignore[index]


def test_a_spammer_is_banned_by_name_from_the_bans_page(
    browser: Browser, live_server: Any, shots: Path, make_article: Any
) -> None:
    article: Article = make_article("What are Electrolytes?")
    moderator = make_moderator()
    spammer = User.objects.create_user("cheapmeds", "c@example.org", PASSWORD)
    posts = [
        submit_post(
            article=article,
            body=f"Cheap meds, offer {n}.",
            author=spammer,
            address=address_of("203.0.113.66"),
        ).post  # fmt: skip
        for n in range(4)
    ]
    for post in posts[:2]:
        services.mark_spam(post=post, moderator=moderator)

    problems: dict[str, str] = {}
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context, mod = new_page(browser, live_server, bypass_csp=True)
        mod.set_viewport_size(viewport)
        sign_in(mod, "moderator")
        mod.goto("/moderation/bans/")
        form = mod.get_by_role("region", name="Ban a reader by name")
        form.get_by_label("Account name").fill("cheapmeds")
        form.get_by_label("The address of its latest post").check()
        form.get_by_label("The network of its latest post", exact=False).check()
        form.get_by_label("Reason", exact=True).fill("Selling pills.")
        form.get_by_label("Also remove their posts").check()
        check(mod, f"bans-{name}", problems, shots)
        form.get_by_role("button", name="Ban this reader…").click()
        if name == "desktop":
            expect(mod.get_by_role("heading", level=1)).to_have_text("Confirm the ban")
            expect(mod.locator(".mod-question")).to_contain_text(
                "Remove 2 posts and ban cheapmeds, the address of Post 4"
            )
            check(mod, f"confirm-{name}", problems, shots)
            mod.get_by_role("button", name="Yes, ban").click()
            expect(mod.get_by_role("status")).to_contain_text("took down 2 of their posts")
            mod.screenshot(path=shots / "banned.png", full_page=True)
        else:
            # Banned already: the page says so, and offers to change the ban in force.
            expect(mod.get_by_role("heading", level=1)).to_have_text("Already banned")
            expect(mod.locator(".mod-in-force li")).to_have_count(3)
            expect(mod.locator(".mod-question")).to_have_text(
                "Change those 3 bans to last 7 days from now?"
            )
            check(mod, f"already-{name}", problems, shots)
            mod.get_by_role("button", name="Change the existing bans").click()
            expect(mod.get_by_role("status")).to_contain_text("Banned cheapmeds")
        context.close()
    assert Ban.objects.active().count() == 3
    assert set(Post.objects.filter(author=spammer).values_list("status", flat=True)) == {
        Post.Status.SPAM,
        Post.Status.REMOVED,
    }
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
