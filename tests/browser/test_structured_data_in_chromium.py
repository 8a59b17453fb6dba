"""In Chromium, the article page's JSON-LD is data: no CSP violation, no script run, and a
hostile title stays inside it."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import Browser

from knowhow.articles.models import Article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = "</script><script>window.pwned = 1</script>"


def test_json_ld_raises_no_csp_violation_and_a_hostile_title_stays_data(  # type: ignore[no-untyped-def]
    browser: Browser, live_server, shots
) -> None:
    call_command("demo", verbosity=0)
    health = Article.objects.get(slug="what-are-involuntary-muscle-spasms")
    hostile = Article.objects.create(
        title=HOSTILE,
        slug="hostile-title",
        topic=health.topic,
        written_by=health.written_by,
        body="A title that tries to end its script element.",
        status=Article.Status.PUBLISHED,
        published_at=health.published_at,
    )
    problems: list[str] = []

    def complain(text: str) -> None:
        problems.append(text)

    for width, height, name in ((1200, 900, "desktop"), (390, 844, "phone")):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        page = context.new_page()
        page.on(
            "console",
            lambda message: (
                complain(message.text)
                if message.type == "error" or "Content Security Policy" in message.text
                else None
            ),
        )
        page.on("pageerror", lambda error: complain(str(error)))
        for article in (health, hostile):
            page.goto(article.get_absolute_url())
            data = page.evaluate(
                "[...document.querySelectorAll('script[type=\"application/ld+json\"]')]"
                ".map(s => JSON.parse(s.textContent))"
            )
            assert len(data) == 1
            assert data[0]["headline"] == article.title
            assert data[0]["@type"] == "MedicalWebPage"  # the demo's Health topic
            assert page.evaluate("window.pwned") is None
            # No script but the data and the site's own files: the title added none.
            scripts = page.evaluate(
                "[...document.scripts].map(s => s.type === 'application/ld+json'"
                " ? 'data' : new URL(s.src || 'inline:', location.href).pathname)"
            )
            assert scripts.count("data") == 1
            assert all(s == "data" or s.startswith("/static/knowhow/") for s in scripts)
        page.goto(health.get_absolute_url())
        page.screenshot(path=shots / f"article-{name}.png", full_page=False)
        assert problems == []
        context.close()
