"""The real server, page cache in front: Chromium reads from memory, posts, and sees it."""

from __future__ import annotations

import re
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from tests.test_serve import KNOWHOW, _env, demo_server

pytestmark = [pytest.mark.browser]

SPASMS = "/articles/what-are-involuntary-muscle-spasms/"
SERVED_ENV = {"KNOWHOW_MIN_SUBMIT_SECONDS": "0"}
VAR_DIRS: dict[str, Path] = {}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("cached-site") / "var"
    env = {**_env(var_dir), **SERVED_ENV}
    with demo_server(env, var_dir.parent / "serve.log") as base:
        VAR_DIRS[base] = var_dir
        yield base


def test_a_reader_posts_from_a_page_served_from_memory(
    browser: Browser, served: str, shots: Path
) -> None:
    for _ in range(2):  # the server process holds the page
        urllib.request.urlopen(served + SPASMS, timeout=10).read()
    context = browser.new_context(base_url=served, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    response = page.goto(SPASMS)
    assert response is not None and response.headers["x-cache"] == "HIT"
    page.screenshot(path=shots / "1-article-from-memory.png", full_page=True)
    page.get_by_label("Your comment", exact=True).fill("Posted by keyboard from a cached page.")
    page.get_by_role("button", name="Post Anonymously").focus()
    page.keyboard.press("Enter")
    post = page.locator("#discuss article.post").first
    expect(post).to_contain_text("Posted by keyboard from a cached page.")
    page.screenshot(path=shots / "2-after-posting.png", full_page=True)
    context.close()

    stranger = browser.new_context(base_url=served, viewport={"width": 390, "height": 844})
    phone = stranger.new_page()
    first = phone.goto(SPASMS)
    assert first is not None
    expect(phone.locator("#discuss article.post").first).to_contain_text(
        "Posted by keyboard from a cached page."
    )
    phone.screenshot(path=shots / "3-phone-after-the-post.png", full_page=True)
    stranger.close()


def test_a_signed_in_reader_reads_a_kept_page_and_posts_under_their_name(
    browser: Browser, served: str, shots: Path
) -> None:
    env = {**_env(VAR_DIRS[served]), **SERVED_ENV}
    subprocess.run(
        [KNOWHOW, "shell", "-v0", "-c",
         "from django.contrib.auth.models import User\n"
         "User.objects.create_user('kept_reader', 'kept@example.org', 'correct horse 42')\n"],
        env=env, check=True, timeout=120,
    )  # fmt: skip
    context = browser.new_context(base_url=served, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill("kept_reader")
    page.get_by_label("Password").fill("correct horse 42")
    page.get_by_role("button", name="Sign in").click()
    for _ in range(3):  # the first visit finds out the thread is everyone's for this reader
        response = page.goto(SPASMS)
    assert response is not None and response.headers["x-cache"] == "HIT"
    expect(page.get_by_role("button", name="Post as kept_reader")).to_be_visible()
    expect(page.get_by_role("link", name="kept_reader")).to_have_attribute(
        "href", "/readers/kept_reader/"
    )
    page.screenshot(path=shots / "1-kept-page-signed-in.png", full_page=True)
    page.get_by_label("Your comment", exact=True).fill("Signed in, posting from a kept page.")
    page.get_by_role("button", name="Post as kept_reader").click()
    post = page.locator("#discuss article.post").first
    expect(post).to_contain_text("Signed in, posting from a kept page.")
    expect(post).to_contain_text("kept_reader")
    expect(post.get_by_role("link", name=re.compile(r"^Edit Post \d+$"))).to_be_visible()
    page.screenshot(path=shots / "2-own-post-live.png", full_page=True)
    context.close()
