"""WCAG 2.2 AA checks by axe-core on every kind of public page, with the demo content loaded."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser

from knowhow.articles.models import Article, Person, Topic
from knowhow.facts.models import Fact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def test_public_pages_have_no_wcag_aa_violations(browser: Browser, live_server, shots) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", verbosity=0)
    article = Article.objects.get(slug="what-are-involuntary-muscle-spasms")
    pages = {
        "home": "/",
        "article": article.get_absolute_url(),
        "print": article.get_print_url(),
        "articles": "/articles/",
        "topics": "/topics/",
        "topic": Topic.objects.first().get_absolute_url(),  # type: ignore[union-attr]
        "person": Person.objects.first().get_absolute_url(),  # type: ignore[union-attr]
        "facts": "/facts/",
        "fact": Fact.objects.first().get_absolute_url(),  # type: ignore[union-attr]
        "on-this-day": "/on-this-day/9/18/",
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "reset": "/accounts/password_reset/",
        "not-found": "/no-such-page/",
    }
    # axe is injected by script, which the site's Content-Security-Policy would rightly refuse.
    context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    page = context.new_page()
    axe = Axe()
    problems = {}
    for name, url in pages.items():
        page.goto(url)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            problems[name] = results.generate_report()
    # The form as it comes back with an error must pass too.
    page.goto(article.get_absolute_url())
    page.get_by_role("button", name="Post Anonymously").click()
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    if results.violations_count:
        problems["refused-post"] = results.generate_report()
    page.screenshot(path=shots / "refused-empty-post.png", full_page=True)
    context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
