"""A reader's walk through the site in Chromium: read, post, print, reset a password."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core import mail
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment

pytestmark = [
    pytest.mark.browser,
    pytest.mark.both_databases,
    pytest.mark.django_db(transaction=True),
]


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), " ".join(page.extract_text() for page in reader.pages)


def test_reader_reads_posts_prints_and_resets_password(
    page: Page, shots: Path, make_article, live_server, settings, run_worker
) -> None:  # type: ignore[no-untyped-def]
    # The emailed link goes to the site's public address, as a deployed site sets it.
    settings.SITE_URL = live_server.url
    article: Article = make_article("What is a Muscle Cramp?")
    make_article("Why do Muscles Get Sore?")
    post_comment(article=article, body="My calves cramp after long runs.")
    User.objects.create_user("walker", "walker@example.org", "old passphrase 11")

    page.goto("/")
    page.screenshot(path=shots / "1-home.png", full_page=True)
    page.get_by_role("link", name="What is a Muscle Cramp?").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What is a Muscle Cramp?")

    page.get_by_label("Your comment", exact=True).fill(
        "Drinking water with a pinch of salt helps me."
    )
    page.get_by_role("button", name="Post Anonymously").click()
    expect(page).to_have_url(re.compile(r"#post-2$"))
    first_post = page.locator("#discuss article.post").first
    expect(first_post.get_by_role("heading")).to_have_text("Post 2, by anonymous")
    expect(first_post).to_contain_text("Drinking water with a pinch of salt helps me.")
    expect(first_post).to_contain_text("anonymous")
    page.screenshot(path=shots / "2-article-after-post.png", full_page=True)

    page.get_by_role("link", name="Print this Article").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What is a Muscle Cramp?")
    expect(page.locator("form")).to_have_count(0)
    expect(page.locator("nav")).to_have_count(0)
    page.screenshot(path=shots / "3-print-view.png", full_page=True)
    for paper in ("A4", "Letter"):
        data = page.pdf(format=paper, print_background=False)
        (shots / f"3-print-{paper}.pdf").write_bytes(data)
        pages, text = pdf_text(data)
        assert pages == 1, f"{paper}: {pages} pages"
        assert "What is a Muscle Cramp?" in text
        assert "Wendy Writer" in text and "Ed Editor" in text
        assert article.get_absolute_url() in text
        assert "Post your comments" not in text and "pinch of salt" not in text
        assert "Back to the article" not in text

    page.go_back()
    page.get_by_role("link", name="forgot password?").click()
    page.get_by_label("Email").fill("walker@example.org")
    page.get_by_role("button", name="Send reset link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    run_worker()  # the page answered before the email was written
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/accounts/reset/\S+/", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    page.goto(link.group(0))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill("fresh passphrase 22")
    page.get_by_label("New password confirmation").fill("fresh passphrase 22")
    page.screenshot(path=shots / "4-new-password.png", full_page=True)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")

    page.get_by_role("main").get_by_role("link", name="sign in").click()
    page.get_by_label("Username").fill("walker")
    page.get_by_label("Password").fill("fresh passphrase 22")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("banner")).to_contain_text("walker")
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.screenshot(path=shots / "5-signed-in.png", full_page=True)


def test_keyboard_only_reader_can_post(page: Page, shots: Path, article: Article) -> None:
    page.goto(article.get_absolute_url())
    page.get_by_label("Your comment", exact=True).focus()
    page.keyboard.type("Typed without a mouse.")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Email me replies (optional, never shown)")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Post Anonymously")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#discuss article.post").first).to_contain_text("Typed without a mouse.")


def test_refused_post_keeps_the_text_in_the_browser(
    page: Page, shots: Path, article: Article
) -> None:
    page.goto(article.get_absolute_url())
    long_text = "This is far too long. " * 300
    page.get_by_label("Your comment", exact=True).fill(long_text)
    page.get_by_role("button", name="Post Anonymously").click()
    expect(page.get_by_role("alert")).to_contain_text("at most 5,000 characters")
    kept = page.get_by_label("Your comment", exact=True).input_value()
    assert kept == long_text, "the refused text was not kept exactly as typed"
    page.screenshot(path=shots / "refused-post.png", full_page=True)
