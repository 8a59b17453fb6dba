"""The staff's pages in the dark scheme, in Chromium: the moderation queue, the dashboard with
its chart, and the newsroom's editor pass axe (WCAG 2.2 AA, contrast included) with the
system set to dark, and the chart's bars and labels take the dark scheme's colours."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from knowhow.antiabuse.addresses import address_of
from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation import services
from tests import people
from tests.browser.test_moderation_walk import WCAG_TAGS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(transactional_db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def dark_page(browser: Browser, live_server: Any) -> Page:
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 1280, "height": 900},
        color_scheme="dark",
        bypass_csp=True,  # axe is injected by script
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def axe_problems(page: Page, name: str, shots: Path) -> dict[str, str]:
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    page.screenshot(path=shots / f"{name}-dark.png", full_page=True)
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    return {name: results.generate_report()} if results.violations_count else {}


def test_queue_dashboard_and_editor_pass_axe_in_the_dark(
    browser: Browser, live_server: Any, shots: Path, settings: Any, make_article: Any
) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    people.make_moderator()
    reader = people.make_reader()
    article: Article = make_article("What are Electrolytes?")
    post_comment(article=article, body="Salts the body needs.", author=reader)
    held = submit_post(
        article=article,
        body="Buy salts at https://spam.example/",
        address=address_of("203.0.113.5"),
    ).post
    reported = post_comment(article=article, body="Drink sea water.", author=reader)
    services.flag_post(
        post=reported, reason="harmful", note="Dangerous.", reporter=None,
        address=address_of("198.51.100.1"),
    )  # fmt: skip
    assert held.status == "held"
    writer, editor = people.make_staff_writer(), people.make_staff_editor()
    draft = workflow.create_article(
        by=writer, title="Why do Feet Swell?", topic=Topic.objects.first() or article.topic,
        body="## Causes\n\nStanding for long hours. Heat. " + "Some sentences run on " * 10 + ".",
    )  # fmt: skip
    workflow.comment(article=draft, by=editor, note="Add when to see a doctor.")

    problems: dict[str, str] = {}
    page = dark_page(browser, live_server)
    sign_in(page, "moderator")
    page.goto("/moderation/")
    problems |= axe_problems(page, "queue", shots)
    page.goto("/moderation/dashboard/")
    # The chart's parts are painted from the dark scheme, not the light attributes.
    bar = page.locator("#activity-chart rect.bar[data-series=posts]").first
    assert bar.evaluate("e => getComputedStyle(e).fill") == "rgb(140, 196, 255)"
    label = page.locator("#activity-chart .axis-label").first
    assert label.evaluate("e => getComputedStyle(e).fill") == "rgb(170, 178, 191)"
    problems |= axe_problems(page, "dashboard", shots)
    page.context.close()

    page = dark_page(browser, live_server)
    sign_in(page, "ed")
    page.goto(f"/newsroom/articles/{draft.pk}/edit/")
    page.wait_for_selector(".writing-surface")
    problems |= axe_problems(page, "editor", shots)
    page.context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
