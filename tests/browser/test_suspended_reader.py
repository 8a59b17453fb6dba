"""A banned reader, in Chromium: the article page says, where the post form would be, that
posting is suspended, until when, why and how to appeal, with no Report link; axe passes at
desktop and phone widths."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Browser, expect

from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment
from knowhow.moderation import services
from tests.browser.test_moderation_walk import WCAG_TAGS, new_page, sign_in
from tests.people import PASSWORD, make_moderator

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


def test_a_banned_reader_sees_the_suspension_before_typing(
    browser: Browser, live_server: Any, shots: Path, make_article: Any
) -> None:
    article: Article = make_article("What are Electrolytes?")
    moderator = make_moderator()
    troll = User.objects.create_user("troll", "troll@example.org", PASSWORD)
    post_comment(article=article, body="Salt, potassium and magnesium.")
    post_comment(article=article, body="Everyone here is an idiot.", author=troll)
    services.ban(
        kind=Ban.Kind.ACCOUNT, moderator=moderator, reason="Third warning.", user=troll,
        expires_at=timezone.now() + dt.timedelta(days=7), reader_reason="Insulting readers.",
    )  # fmt: skip

    problems = {}
    for name, viewport in (("desktop", {"width": 1280, "height": 900}), ("phone", PHONE)):
        context, page = new_page(browser, live_server, bypass_csp=True)
        page.set_viewport_size(viewport)
        sign_in(page, "troll")
        page.goto(article.get_absolute_url())
        section = page.get_by_role("region", name="Post your comments")
        expect(section).to_contain_text("You cannot post at the moment")
        expect(section).to_contain_text("Why: Insulting readers.")
        expect(section.get_by_role("link", name="knowhow@localhost")).to_be_visible()
        expect(page.get_by_label("Your comment", exact=True)).to_have_count(0)
        expect(page.get_by_role("link", name="Report Post 1")).to_have_count(0)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            problems[name] = results.generate_report()
        section.screenshot(path=shots / f"suspended-{name}.png")
        context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
