"""The pages this part of the newsroom changed, in Chromium at 1280 and 390 px: the editor
with its address, the article page with its reading time and "Edit this article", the desk
with its notes, the settings with the newsroom's emails and the writer's question page;
each axe-clean (WCAG 2.2 AA) and no wider than the screen. An address changed in the
editor leads readers there with a 301."""

from __future__ import annotations

from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import Browser, expect

from knowhow.articles import services as workflow
from knowhow.articles.models import Person, Topic
from knowhow.newsroom import question_services
from knowhow.newsroom.models import Question
from tests import people
from tests.browser.test_accessibility import WCAG_TAGS
from tests.browser.test_newsroom_pages import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _media(transactional_db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def test_the_changed_pages_are_accessible_and_an_old_address_redirects(
    browser: Browser, live_server: Any, shots: Any
) -> None:
    writer: User = people.make_staff_writer()
    editor: User = people.make_staff_editor()
    topic = Topic.objects.create(name="Health", slug="health")
    article = workflow.create_article(
        by=writer, title="What is a Stitch?", topic=topic, body="A pain in the side. " * 300
    )
    workflow.submit_for_review(article=article, by=writer)
    workflow.request_changes(article=article, by=editor, note="Say why runners get it.")
    workflow.publish(article=article, by=editor)
    question = Question.objects.create(text="Why do stitches hurt?", email="pat@example.net")
    question_services.turn_into_draft(
        question=question, by=editor, title="Why do Stitches Hurt?", topic=topic,
        writer=Person.objects.get(user=writer),
    )  # fmt: skip
    pages = {
        "edit": f"/newsroom/articles/{article.pk}/edit/",
        "article": "/articles/what-is-a-stitch/",
        "desk": "/newsroom/",
        "settings": "/accounts/settings/",
        "question": f"/newsroom/questions/{question.pk}/",
    }
    problems = {}
    for size, (width, height) in {"desktop": (1280, 900), "phone": (390, 844)}.items():
        context = browser.new_context(
            base_url=live_server.url, bypass_csp=True, viewport={"width": width, "height": height}
        )
        page = context.new_page()
        page.set_default_timeout(15_000)
        sign_in(page, "wendy")
        for name, url in pages.items():
            page.goto(url)
            results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            if results.violations_count:
                problems[f"{name}-{size}"] = results.generate_report()
            assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, size)
            page.screenshot(path=shots / f"{name}-{size}.png", full_page=True)
        context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())

    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "ed")
    page.goto(pages["edit"])
    page.get_by_label("Address").fill("why-runners-get-a-stitch")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("The article's address is /articles/why-runners-get-a-stitch/"))
    response = context.request.get("/articles/what-is-a-stitch/", max_redirects=0)
    assert response.status == 301
    assert response.headers["location"] == "/articles/why-runners-get-a-stitch/"
    page.goto("/articles/what-is-a-stitch/")
    assert page.url.endswith("/articles/why-runners-get-a-stitch/")
    expect(page.get_by_role("link", name="Edit this article")).to_be_visible()
    context.close()
