"""Headless Debian Chromium driven by Playwright, against the live test server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

# The PostgreSQL pass may run beside the SQLite one: each keeps its pictures apart.
_PASS = "browser-postgres" if os.environ.get("KNOWHOW_DATABASE_URL") else "browser"
OUTPUT_DIR = Path(__file__).resolve().parents[2] / "test-output" / _PASS
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API keeps an event loop on the test thread; the ORM calls the tests make
# there are ordinary synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        raise RuntimeError("Browser tests need Debian's Chromium: apt-get install chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _scripted_readers_may_post_at_once(settings) -> None:  # type: ignore[no-untyped-def]
    # Playwright posts the moment a page loads, which the site refuses from scripts; the
    # walks are about the pages, and tests/discussion/test_layers.py tests the timing rule.
    settings.MIN_SUBMIT_SECONDS = 0


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:  # type: ignore[no-untyped-def]
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    """The test's output folder for screenshots and PDFs."""
    folder = OUTPUT_DIR / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder
