"""Triage by keyboard alone, in Chromium: j and k move between posts, a approves, r removes,
s marks spam, u undoes the decision just made, ? shows the keys; each key presses the post's
own button, the decision is made without reloading the page, its item is replaced in place,
the status region says what happened, and the focus moves on to the next post."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation import services
from tests.browser.test_moderation_walk import new_page, sign_in
from tests.people import PASSWORD, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_moderator_triages_the_queue_by_keyboard_alone(
    browser: Browser, live_server: Any, shots: Path, make_article: Any, settings: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    article: Article = make_article("What are Electrolytes?")
    make_moderator()
    bodies = ["Salt and water, mostly.", "Buy pills at example.test", "Bananas help."]
    posts = [
        submit_post(article=article, body=body, address=address_of(f"203.0.113.{n}")).post
        for n, body in enumerate(bodies, start=1)
    ]
    walker = User.objects.create_user("walker", "walker@example.org", PASSWORD)
    rude = post_comment(article=article, body="You are all fools.", author=walker)
    services.flag_post(
        post=rude, reason="abuse", note="", reporter=None, address=address_of("198.51.100.1")
    )
    context, mod = new_page(browser, live_server)
    sign_in(mod, "moderator")
    mod.goto("/moderation/")
    mod.evaluate("window.sameDocument = true")  # gone if the page is loaded again
    mod.keyboard.press("?")
    expect(mod.get_by_role("region", name="Keys")).to_contain_text("mark spam")
    mod.keyboard.press("?")
    expect(mod.get_by_role("region", name="Keys")).to_be_hidden()

    mod.keyboard.press("j")
    expect(mod.locator(f"#queue-post-{posts[0].pk}")).to_be_focused()
    mod.keyboard.press("a")
    expect(mod.get_by_role("status")).to_have_text("Approved Post 1 on What are Electrolytes?")
    expect(mod.locator(f"#queue-post-{posts[0].pk}")).to_contain_text("Approved by you")
    # The focus is on the next post waiting: one key decides it.
    expect(mod.locator(f"#queue-post-{posts[1].pk}")).to_be_focused()
    assert Post.objects.get(pk=posts[0].pk).status == Post.Status.PUBLISHED

    mod.keyboard.press("s")
    expect(mod.get_by_role("status")).to_contain_text("Marked Post 2")
    expect(mod.locator(f"#queue-post-{posts[1].pk}")).to_contain_text("by you")
    expect(mod.locator(f"#queue-post-{posts[2].pk}")).to_be_focused()
    assert Post.objects.get(pk=posts[1].pk).status == Post.Status.SPAM
    mod.screenshot(path=shots / "after-spam.png", full_page=True)

    # Undo: the decision just made, though the focus has moved on; the post is back.
    mod.keyboard.press("u")
    expect(mod.get_by_role("status")).to_contain_text("Undone")
    expect(mod.locator(f"#queue-post-{posts[1].pk}")).to_be_focused()
    expect(mod.get_by_role("button", name=f"Approve Post 2 on {article.title}")).to_be_visible()
    assert Post.objects.get(pk=posts[1].pk).status == Post.Status.HELD

    # k and j walk the items, decided ones included; r removes the reported post.
    mod.keyboard.press("k")
    expect(mod.locator(f"#queue-post-{posts[0].pk}")).to_be_focused()
    for _ in range(3):
        mod.keyboard.press("j")
    expect(mod.locator(f"#queue-post-{rude.pk}")).to_be_focused()
    mod.keyboard.press("r")
    expect(mod.get_by_role("status")).to_contain_text("Removed Post 4")
    assert Post.objects.get(pk=rude.pk).status == Post.Status.REMOVED

    mod.keyboard.press("k")
    expect(mod.locator(f"#queue-post-{posts[2].pk}")).to_be_focused()
    # Keys typed into a note are words, not decisions.
    note = mod.locator(f"#note-{posts[2].pk}")
    note.focus()
    mod.keyboard.type("a real reason")
    expect(note).to_have_value("a real reason")
    mod.screenshot(path=shots / "typing-a-note.png")
    assert mod.evaluate("window.sameDocument") is True
    context.close()
    assert Post.objects.get(pk=posts[2].pk).status == Post.Status.HELD
