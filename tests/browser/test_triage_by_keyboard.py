"""Triage by keyboard alone, in Chromium: j and k move between held posts, a approves, s
marks spam, u undoes, ? shows the keys; each key presses the post's own button, and the
queue comes back at the post acted on."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, expect

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import submit_post
from tests.browser.test_moderation_walk import new_page, sign_in
from tests.people import make_moderator

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
    context, mod = new_page(browser, live_server)
    sign_in(mod, "moderator")
    mod.goto("/moderation/")
    mod.keyboard.press("?")
    expect(mod.get_by_role("region", name="Keys")).to_contain_text("mark spam")
    mod.keyboard.press("?")
    expect(mod.get_by_role("region", name="Keys")).to_be_hidden()

    mod.keyboard.press("j")
    expect(mod.locator(f"#queue-post-{posts[0].pk}")).to_be_focused()
    mod.keyboard.press("a")
    expect(mod.get_by_role("status").first).to_contain_text("Approved Post 1")
    assert Post.objects.get(pk=posts[0].pk).status == Post.Status.PUBLISHED

    # Back at the post acted on: the next one is one key away.
    mod.keyboard.press("j")
    expect(mod.locator(f"#queue-post-{posts[1].pk}")).to_be_focused()
    mod.keyboard.press("s")
    expect(mod.get_by_role("status").first).to_contain_text("Marked Post 2")
    assert Post.objects.get(pk=posts[1].pk).status == Post.Status.SPAM
    mod.screenshot(path=shots / "after-spam.png", full_page=True)

    # Undo, on the post just marked, where it stays a while.
    mod.keyboard.press("u")
    expect(mod.get_by_role("status").first).to_contain_text("Undone")
    assert Post.objects.get(pk=posts[1].pk).status == Post.Status.HELD

    mod.keyboard.press("k")
    mod.keyboard.press("j")
    mod.keyboard.press("j")
    expect(mod.locator(f"#queue-post-{posts[2].pk}")).to_be_focused()
    # Keys typed into a note are words, not decisions.
    note = mod.locator(f"#note-{posts[2].pk}")
    note.focus()
    mod.keyboard.type("a real reason")
    expect(note).to_have_value("a real reason")
    mod.screenshot(path=shots / "typing-a-note.png")
    context.close()
    assert Post.objects.get(pk=posts[2].pk).status == Post.Status.HELD
