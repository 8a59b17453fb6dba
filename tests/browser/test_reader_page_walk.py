"""A reader's page for moderators, in Chromium: a spammer's posts in every status, a note
added, the anonymous poster's page, the set reasons and the queue offering them, a banned
reader's appeal and an author's request for a second look; each passes axe at desktop and
phone widths and never scrolls sideways."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.services import submit_post
from knowhow.moderation import services
from tests.browser.test_ban_by_name_walk import PHONE, check
from tests.browser.test_moderation_walk import new_page, sign_in
from tests.people import PASSWORD, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_readers_whole_story_on_one_page(
    browser: Browser, live_server: Any, shots: Path, make_article: Any
) -> None:
    article: Article = make_article("What are Electrolytes?")
    moderator = make_moderator()
    spammer = User.objects.create_user("cheapmeds", "c@example.org", PASSWORD)
    User.objects.create_user("cheapmeds2", "c2@example.org", PASSWORD)
    home = address_of("203.0.113.66")
    posts = [
        submit_post(article=article, body=f"Offer {n}.", author=spammer, address=home).post
        for n in range(3)
    ]
    services.mark_spam(post=posts[0], moderator=moderator, note="Pill shop.")
    services.remove_post(post=posts[1], moderator=moderator, note="Rude.")
    submit_post(article=article, body="Me again.", author=User.objects.get(username="cheapmeds2"),
                address=home)  # fmt: skip
    for n in range(3):  # reported by three readers: held for a moderator, in the queue
        services.flag_post(
            post=posts[2], reason="spam", reporter=None, address=address_of(f"198.51.{n}.1")
        )
    anonymous = submit_post(article=article, body="Anonymous words.", address=home).post

    troll = User.objects.create_user("troll", "t@example.org", PASSWORD)
    services.ban(kind="account", moderator=moderator, reason="Insults.", user=troll)
    problems: dict[str, str] = {}
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context, mod = new_page(browser, live_server, bypass_csp=True)
        mod.set_viewport_size(viewport)
        sign_in(mod, "moderator")
        mod.goto("/moderation/log/")
        mod.get_by_role("link", name="by cheapmeds").first.click()
        expect(mod.get_by_role("heading", level=1)).to_have_text("Reader cheapmeds")
        expect(mod.get_by_role("region", name="Accounts at the same address")).to_contain_text(
            "cheapmeds2"
        )
        check(mod, f"reader-{name}", problems, shots)
        if name == "desktop":
            mod.get_by_label("Note on this reader").fill("Runs a pill shop with two accounts.")
            mod.get_by_role("button", name="Add the note").click()
            expect(mod.get_by_role("region", name="Notes and messages")).to_contain_text(
                "Runs a pill shop with two accounts."
            )
            mod.get_by_role("link", name="Email cheapmeds a message…").click()
            check(mod, f"message-{name}", problems, shots)
        mod.goto(f"/moderation/posts/{anonymous.pk}/poster/")
        expect(mod.get_by_role("heading", level=1)).to_contain_text("Anonymous poster")
        check(mod, f"poster-{name}", problems, shots)
        mod.goto("/moderation/reasons/")
        expect(mod.get_by_role("list").last).to_contain_text("Medical misinformation")
        check(mod, f"reasons-{name}", problems, shots)
        mod.goto("/moderation/")
        check(mod, f"queue-{name}", problems, shots)
        mod.goto("/moderation/dashboard/")
        expect(mod.locator("#work-table")).to_contain_text("moderator")
        check(mod, f"dashboard-{name}", problems, shots)
        context.close()
        # The reader's side: an appeal, and a second look at a removed post.
        context, banned = new_page(browser, live_server, bypass_csp=True)
        banned.set_viewport_size(viewport)
        sign_in(banned, "troll")
        banned.goto("/appeal/")
        expect(banned.get_by_role("heading", level=1)).to_have_text("Appeal against a suspension")
        check(banned, f"appeal-{name}", problems, shots)
        context.close()
        context, author = new_page(browser, live_server, bypass_csp=True)
        author.set_viewport_size(viewport)
        sign_in(author, "cheapmeds")
        author.goto(article.get_absolute_url())
        author.get_by_role("link", name="Your post? Ask for a second look").first.click()
        expect(author.get_by_role("heading", level=1)).to_contain_text("second look")
        check(author, f"second-look-{name}", problems, shots)
        context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
