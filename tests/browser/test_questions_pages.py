"""Reader questions in Chromium: a reader asks from an article (keyboard and form alone),
and an editor works the queue; both pages accessible on a desktop and a phone."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission
from playwright.sync_api import Browser, Page

from knowhow.articles import roles
from knowhow.articles.models import Article
from knowhow.newsroom.models import Question
from tests import people
from tests.browser.test_accessibility import WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"desktop": (1200, 900), "phone": (390, 844)}


def _roles() -> None:
    """The newsroom's groups, as its migration makes them (a transactional test empties
    every table, those rows too)."""
    for role, permissions in roles.ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        for name in permissions:
            app_label, codename = name.split(".")
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def _check(page: Page, width: int) -> None:
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    assert results.violations_count == 0, results.generate_report()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _context(browser: Browser, live_server: Any, size: tuple[int, int]) -> Any:
    return browser.new_context(
        base_url=live_server.url,
        bypass_csp=True,  # for axe, injected by script
        viewport={"width": size[0], "height": size[1]},
    )


def test_a_reader_asks_from_an_article_and_a_refusal_keeps_the_text(  # type: ignore[no-untyped-def]
    browser: Browser, live_server, shots, make_article: Callable[..., Article], settings
) -> None:
    article = make_article()
    settings.POST_RATE_ANONYMOUS = [(1, 600)]
    for name, size in VIEWPORTS.items():
        context = _context(browser, live_server, size)
        page = context.new_page()
        page.goto(article.get_absolute_url())
        page.get_by_role("link", name="Ask a question").click()
        page.wait_for_url("**/ask/?article=*")
        assert page.get_by_role("heading", level=1).inner_text() == "Ask a question"
        _check(page, size[0])
        page.screenshot(path=shots / f"ask-{name}.png", full_page=True)
        page.get_by_label("Your question").fill(f"Why do cramps come at night? ({name})")
        page.get_by_label("Email me when it is answered (optional)").fill("pat@example.net")
        page.get_by_role("button", name="Send your question").click()
        status = page.get_by_role("status")
        if name == "desktop":
            assert "your question reached the editors" in status.inner_text()
        else:  # the same reader (address) a second time within the limit's window
            alert = page.get_by_role("alert").first
            assert "faster than this site allows" in alert.inner_text()
            assert page.get_by_label("Your question").input_value().endswith("(phone)")
            assert page.get_by_label("Email me when it is answered (optional)").input_value() == (
                "pat@example.net"
            )
            _check(page, size[0])
            page.screenshot(path=shots / f"ask-refused-{name}.png", full_page=True)
        context.close()
    assert list(Question.objects.values_list("asked_from", flat=True)) == [article.pk]


def test_an_editor_works_the_queue(  # type: ignore[no-untyped-def]
    browser: Browser, live_server, shots, topic
) -> None:
    _roles()
    people.make_writer()
    people.make_editor()
    people.make_staff_writer()
    people.make_staff_editor()
    first = Question.objects.create(text="Why do cramps come at night?", asker_name="Pat")
    second = Question.objects.create(text="why do cramps come at night", email="a@example.net")
    Question.objects.create(text="What is a stitch when running?")
    for name, size in VIEWPORTS.items():
        context = _context(browser, live_server, size)
        page = context.new_page()
        page.goto("/accounts/login/?next=/newsroom/questions/")
        page.get_by_label("Username").fill("ed")
        page.get_by_label("Password").fill(people.PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/newsroom/questions/")
        _check(page, size[0])
        page.screenshot(path=shots / f"queue-{name}.png", full_page=True)
        if name == "desktop":
            item = page.locator(f"#question-{second.pk}")
            item.get_by_label("Duplicate of question").fill(str(first.pk))
            item.get_by_role("button", name="Merge").click()
            assert f"is merged into Question {first.pk}" in page.get_by_role("status").inner_text()
            page.locator(f"#question-{first.pk}").get_by_role(
                "link", name="Turn into a draft"
            ).click()
            page.get_by_label("Topic").select_option(label=topic.name)
            page.get_by_label("Writer").select_option(label="Wendy Writer")
            _check(page, size[0])
            page.screenshot(path=shots / f"draft-form-{name}.png", full_page=True)
            page.get_by_role("button", name="Start the draft").click()
            assert "written by Wendy Writer" in page.get_by_role("status").inner_text()
            _check(page, size[0])
            page.screenshot(path=shots / f"queue-after-{name}.png", full_page=True)
        context.close()
    first.refresh_from_db()
    assert first.state == Question.State.DRAFTED and first.draft is not None
