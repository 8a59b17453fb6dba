"""The queue in Chromium: filters kept across decisions made in place, select-all with a live
count and a bulk decision answered in place; at desktop and phone widths each item fits one
screen, the log scrolls inside its own region, and every state passes axe."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation import services
from tests.browser.test_moderation_walk import WCAG_TAGS, new_page, sign_in
from tests.people import PASSWORD, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
LONG = " ".join(["Magnesium and potassium matter for cramps, and so does water."] * 30)


def desk(make_article: Any) -> tuple[Article, list[Post], Post]:
    article: Article = make_article("What are Electrolytes?")
    other: Article = make_article("Why Salt?")
    walker = User.objects.create_user("walker", "walker@example.org", PASSWORD)
    post_comment(article=article, body="Salt, potassium and magnesium.", author=walker)
    post_comment(article=other, body="Sea salt is still salt.", author=walker)
    held = [
        submit_post(article=article, body=body, address=address_of(f"203.0.113.{n}")).post
        for n, body in enumerate(["Bananas help.", LONG, "Buy pills at example.test"], start=1)
    ]
    submit_post(article=other, body="Held on the salt page.", address=address_of("203.0.113.9"))
    rude = post_comment(article=article, body="You are all fools.", author=walker, reply_to=1)
    services.flag_post(
        post=rude, reason="abuse", note="Rude.", reporter=None, address=address_of("198.51.100.1")
    )
    return article, held, rude


def check(page: Page, name: str, problems: dict[str, str]) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        problems[name] = results.generate_report()


def test_filtered_decisions_and_bulk_in_place(
    browser: Browser, live_server: Any, make_article: Any, settings: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    article, held, rude = desk(make_article)
    make_moderator()
    context, mod = new_page(browser, live_server)
    sign_in(mod, "moderator")
    mod.goto("/moderation/")
    mod.get_by_label("Show").select_option("held")
    mod.get_by_label("Article", exact=True).select_option(label=article.title)
    mod.get_by_role("button", name="Filter").click()
    expect(mod.get_by_text("Showing 3 of 5 posts waiting.")).to_be_visible()
    expect(mod.get_by_text("You are all fools.")).to_have_count(0)
    filtered = mod.url
    mod.evaluate("window.sameDocument = true")

    mod.get_by_role("button", name=f"Approve Post 2 on {article.title}").click()
    expect(mod.get_by_role("status")).to_have_text(f"Approved Post 2 on {article.title}")
    expect(mod.get_by_text("Showing 2 of 4 posts waiting.")).to_be_visible()
    expect(mod.locator(f"#queue-post-{held[1].pk}")).to_be_focused()

    # Select all, with a live count; then one bulk decision, answered in place.
    mod.get_by_label("Select all posts on this page").check()
    expect(mod.locator("#selected-count")).to_have_text("2 of 2 selected")
    mod.get_by_label("Select Post 4").uncheck()
    expect(mod.locator("#selected-count")).to_have_text("1 of 2 selected")
    mod.get_by_label("Select Post 4").check()
    mod.locator("#bulk-action").select_option("spam")
    mod.get_by_role("button", name="Apply to selected").click()
    expect(mod.get_by_role("status")).to_contain_text("Marked Post 3")
    expect(mod.locator(f"#queue-post-{held[2].pk}")).to_contain_text("by you")
    expect(mod.get_by_text("Showing 0 of 2 posts waiting.")).to_be_visible()
    assert {p.status for p in Post.objects.filter(pk__in=[held[1].pk, held[2].pk])} == {"spam"}
    assert mod.evaluate("window.sameDocument") is True
    assert mod.url == filtered
    # Loaded again, the page keeps its filters and the posts just decided, with Undo.
    mod.reload()
    expect(mod.get_by_label("Show")).to_have_value("held")
    expect(
        mod.get_by_role("button", name=f"Undo (marked as spam Post 4 on {article.title})")
    ).to_be_visible()
    context.close()

    # Without a script the same forms post and come back to the same filtered queue.
    context, plain = new_page(browser, live_server, java_script_enabled=False)
    sign_in(plain, "moderator")
    plain.goto("/moderation/?show=reported")
    plain.get_by_role("button", name=f"Remove Post 5 on {article.title}").click()
    expect(plain.get_by_role("status")).to_have_text(f"Removed Post 5 on {article.title}")
    assert "show=reported" in plain.url
    assert Post.objects.get(pk=rude.pk).status == Post.Status.REMOVED
    context.close()


def test_queue_states_fit_a_phone_and_pass_axe(
    browser: Browser, live_server: Any, shots: Path, make_article: Any, settings: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    article, held, rude = desk(make_article)
    moderator = make_moderator()
    services.remove_post(post=rude, moderator=moderator, note="Insults.")
    problems: dict[str, str] = {}
    for name, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
        context, page = new_page(browser, live_server, bypass_csp=True)
        page.set_viewport_size(viewport)
        sign_in(page, "moderator")
        page.goto("/moderation/")
        number = 3 if name == "desktop" else 4
        page.get_by_role("button", name=f"Reject Post {number} on {article.title}").click()
        expect(page.get_by_role("status")).to_contain_text(f"Rejected Post {number}")
        for opened in page.locator(".mod-context summary").all():
            opened.click()
        check(page, f"queue-{name}", problems)
        page.screenshot(path=shots / f"queue-{name}.png", full_page=True)
        for item in page.locator(".mod-item[id^='queue-post-']:not(.mod-decided)").all():
            box = item.bounding_box()
            assert box is not None
            # The long post shows its beginning; its whole text is one click away.
            if item.locator("details[open]").count() == 0:
                assert box["height"] < viewport["height"], f"an item is {box['height']}px"
        page.goto("/moderation/?show=held&sort=newest&reason=held:anonymous_needs_approval")
        check(page, f"filtered-{name}", problems)
        page.goto("/moderation/log/")
        check(page, f"log-{name}", problems)
        page.screenshot(path=shots / f"log-{name}.png", full_page=True)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"the log scrolls sideways at {name} ({width}px)"
        context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
