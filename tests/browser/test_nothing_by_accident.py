"""Nothing by accident, in Chromium: a moderator types a note and presses Enter in every note
field of the queue and of the thread, and every post stays as it was; a ban that takes a
reader's posts asks first, and its confirmation passes axe at desktop and phone widths."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation import services
from knowhow.moderation.models import ModerationAction
from tests.browser.test_moderation_walk import WCAG_TAGS, new_page, sign_in
from tests.people import PASSWORD, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def statuses() -> list[tuple[int, str, str]]:
    return sorted(Post.objects.values_list("number", "status", "body"))


def test_enter_in_every_note_field_changes_no_post(
    browser: Browser, live_server: Any, shots: Path, settings: Any, make_article: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    article: Article = make_article("What are Electrolytes?")
    make_moderator()
    walker = User.objects.create_user("walker", "walker@example.org", PASSWORD)
    good = post_comment(article=article, body="Salt, potassium and magnesium.", author=walker)
    for n in range(2):
        services.flag_post(
            post=good, reason="spam", note="", reporter=None, address=address_of(f"198.51.10{n}.1")
        )
    for n, body in enumerate(["Coconut water helps.", "Buy cheap salts at spam.example"]):
        submit_post(article=article, body=body, address=address_of(f"203.0.113.{n + 1}"))
    before, log = statuses(), ModerationAction.objects.count()

    context, mod = new_page(browser, live_server)
    sign_in(mod, "moderator")
    mod.goto("/moderation/")
    notes = mod.get_by_label("Note for the log (optional) on Post", exact=False)
    expect(notes).to_have_count(3)
    for i in range(3):
        note = notes.nth(i)
        note.click()
        mod.keyboard.type("Looks fine to me")
        mod.keyboard.press("Enter")
        # Enter starts a new line in the note; it presses no button.
        expect(note).to_have_value("Looks fine to me\n")
    mod.screenshot(path=shots / "1-queue-after-enter-in-notes.png", full_page=True)
    assert statuses() == before

    # The bulk form: every post ticked, "Reject" chosen, Enter in its note.
    for box in mod.get_by_label("Select Post", exact=False).all():
        box.check()
    mod.get_by_label("Action").select_option("reject")
    bulk_note = mod.get_by_label("Note for the log (optional) on every selected post")
    bulk_note.fill("Weekly sweep")
    bulk_note.press("Enter")
    expect(mod.get_by_role("status")).to_contain_text("Nothing was changed.")
    # The queue comes back with what was typed, chosen and ticked.
    expect(mod.get_by_label("Note for the log (optional) on every selected post")).to_have_value(
        "Weekly sweep"
    )
    expect(mod.get_by_label("Action")).to_have_value("reject")
    for box in mod.get_by_label("Select Post", exact=False).all():
        expect(box).to_be_checked()
    # Enter on a ticked box presses nothing either.
    mod.get_by_label("Select Post", exact=False).first.press("Enter")
    mod.screenshot(path=shots / "2-bulk-after-enter.png", full_page=True)
    assert statuses() == before

    # On the thread, Enter in each post's reason.
    mod.goto(article.get_absolute_url())
    reasons = mod.get_by_label("Reason (for the log) for Post", exact=False)
    expect(reasons).to_have_count(3)
    for i in range(3):
        reasons.nth(i).click()
        mod.keyboard.type("Insults")
        mod.keyboard.press("Enter")
    mod.locator("#discuss").screenshot(path=shots / "3-thread-after-enter.png")
    assert statuses() == before
    assert ModerationAction.objects.count() == log
    context.close()


def test_a_ban_that_takes_a_readers_posts_asks_first(
    browser: Browser, live_server: Any, shots: Path, make_article: Any
) -> None:
    article: Article = make_article("What are Electrolytes?")
    make_moderator()
    spammer = User.objects.create_user("cheapmeds", "c@example.org", PASSWORD)
    posts = [
        post_comment(article=article, body=f"Cheap meds, offer {n}.", author=spammer)
        for n in range(4)
    ]
    problems = {}
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context, mod = new_page(browser, live_server, bypass_csp=True)
        mod.set_viewport_size(viewport)
        sign_in(mod, "moderator")
        mod.goto(f"/moderation/posts/{posts[0].pk}/ban/")
        mod.get_by_label("The account cheapmeds: it may not post").check()
        mod.get_by_label("Reason", exact=True).fill("Selling pills.")
        mod.get_by_label("Also remove their posts").check()
        mod.get_by_role("button", name="Ban…").click()
        expect(mod.get_by_role("heading", level=1)).to_have_text("Confirm the ban")
        expect(mod.get_by_text("Remove 4 posts and ban cheapmeds for 7 days?")).to_be_visible()
        results = Axe().run(mod, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            problems[name] = results.generate_report()
        mod.screenshot(path=shots / f"confirm-{name}.png", full_page=True)
        width = mod.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the {name} page scrolls sideways ({width}px)"
        if name == "phone":
            mod.get_by_role("button", name="Yes, ban").click()
            expect(mod.get_by_role("status")).to_contain_text("took down 4 of their posts")
            mod.screenshot(path=shots / "after-ban.png", full_page=True)
        else:
            mod.get_by_role("button", name="Back to the form").click()
            expect(mod.get_by_label("Also remove their posts")).to_be_checked()
            expect(mod.get_by_label("Reason", exact=True)).to_have_value("Selling pills.")
            assert Post.objects.filter(status=Post.Status.PUBLISHED).count() == 4
        context.close()
    assert Post.objects.filter(status=Post.Status.REMOVED).count() == 4
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
