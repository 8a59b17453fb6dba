"""Right to left in Chromium, on an English site served for real: the demo's Arabic article
reads right to left with its English name and numbers in order (and looks as it should), a
post written in Hebrew under an English article runs right to left beside its English
neighbours, and axe finds nothing on either page, light or dark.

The expected picture is made by this machine's Chromium and fonts (the ones CI installs,
tests/system_packages.sh): after a deliberate change, run the module with
UPDATE_SCREENSHOTS=1 to write it again, look at it, and commit it.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image, ImageChops
from playwright.sync_api import Browser, Locator, Page

from tests.test_serve import KNOWHOW, _env, _free_port, wait_until_serving

pytestmark = [pytest.mark.browser]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ARABIC = "/articles/lima-tatashannaj-al-adalat-laylan/"
ENGLISH = "/articles/why-do-muscles-cramp-at-night/"
EXPECTED = Path(__file__).resolve().parent / "expected" / "arabic-article-first-paragraph.png"
# The paragraph is photographed at this window size, on a light page, at one pixel a pixel.
WINDOW = {"width": 640, "height": 900}
# A pixel differs when a channel is this far off; anti-aliasing may change this share of them.
CHANNEL_SLACK, DIFFERING_SHARE = 48, 0.01
HEBREW = (
    "גם אני מתעוררת בלילה עם התכווצות בשוק, בערך פעמיים בשבוע. "
    "מתיחה של האצבעות כלפי מעלה עוזרת לי תוך דקה."
)

# Adds the Hebrew post under the English article, as a reader's post is stored.
_ADD_POST = f"""
from django.utils import timezone
from knowhow.articles.models import Article
from knowhow.discussion.services import import_post
article = Article.objects.get(slug={ENGLISH.split("/")[2]!r})
import_post(article=article, body={HEBREW!r}, author=None, author_name="Noa",
            created_at=timezone.now())
"""

# Where a piece of a paragraph's text is drawn: the boxes of the first run of text equal to
# `needle` (or of its one character at index `char`) in the paragraph's text nodes, one box
# for each stretch of one direction, and more when a line break splits it.
_BOXES = """(element, [needle, char]) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(needle);
    if (at < 0) continue;
    const range = document.createRange();
    range.setStart(node, char === null ? at : at + char);
    range.setEnd(node, char === null ? at + needle.length : at + char + 1);
    return [...range.getClientRects()].map(r => ({left: r.left, right: r.right, top: r.top}));
  }
  return null;
}"""


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("right-to-left-site") / "var"
    env = _env(var_dir)
    subprocess.run([KNOWHOW, "migrate", "-v0"], env=env, check=True, timeout=180)
    subprocess.run([KNOWHOW, "demo"], env=env, check=True, timeout=180)
    subprocess.run([KNOWHOW, "shell", "-c", _ADD_POST], env=env, check=True, timeout=120)
    port = _free_port()
    server = subprocess.Popen(
        [KNOWHOW, "serve", "--port", str(port), "--workers", "1", "--no-worker"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_serving(base, server, seconds=120)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def _box(element: Locator, needle: str, char: int | None = None) -> dict[str, float]:
    """Where `needle` is drawn in the element (on one line, maybe in several runs), or only
    its character at index `char`."""
    boxes = element.evaluate(_BOXES, [needle, char])
    assert boxes, f"{needle!r} is not in the paragraph"
    assert len({round(b["top"]) for b in boxes}) == 1, f"{needle!r} is broken over lines"
    return {
        "left": min(b["left"] for b in boxes),
        "right": max(b["right"] for b in boxes),
        "top": boxes[0]["top"],
    }


def _same_line(a: dict[str, float], b: dict[str, float]) -> bool:
    return abs(a["top"] - b["top"]) < 4


def _style(element: Locator, name: str) -> str:
    return str(element.evaluate(f"e => getComputedStyle(e).{name}"))


def _compare(actual: bytes, shots: Path) -> str:
    """ "" when the picture matches the expected one within the slack; else what differs,
    with the actual picture and the difference saved beside the test's other output."""
    (shots / "actual.png").write_bytes(actual)
    if os.environ.get("UPDATE_SCREENSHOTS"):
        EXPECTED.parent.mkdir(exist_ok=True)
        EXPECTED.write_bytes(actual)
    if not EXPECTED.exists():
        return f"no expected picture at {EXPECTED}: run with UPDATE_SCREENSHOTS=1 and look"
    got = Image.open(shots / "actual.png").convert("RGB")
    wanted = Image.open(EXPECTED).convert("RGB")
    if got.size != wanted.size:
        return f"the paragraph is {got.size}, expected {wanted.size}: see {shots / 'actual.png'}"
    diff = ImageChops.difference(got, wanted)
    marked = diff.convert("L").point(lambda v: 255 if v > CHANNEL_SLACK else 0)
    differing = marked.histogram()[255]
    share = differing / (got.width * got.height)
    if share <= DIFFERING_SHARE:
        return ""
    diff.save(shots / "diff.png")
    return (
        f"{share:.2%} of the pixels differ (at most {DIFFERING_SHARE:.0%} may): see "
        f"{shots / 'actual.png'} and {shots / 'diff.png'}"
    )


def test_the_arabic_article_reads_right_to_left_with_its_english_name_in_order(
    browser: Browser, served: str, shots: Path
) -> None:
    context = browser.new_context(
        base_url=served, viewport=WINDOW, device_scale_factor=1, color_scheme="light"
    )
    page = context.new_page()
    page.goto(ARABIC)
    assert page.locator("html").get_attribute("lang") == "en"
    article = page.locator("article.article")
    assert (article.get_attribute("lang"), article.get_attribute("dir")) == ("ar", "rtl")
    title = page.locator("#article-title")
    assert _style(title, "direction") == "rtl"
    # The interface's English words inside it stay English, left to right.
    about = page.locator(".article-about")
    assert (about.get_attribute("lang"), _style(about, "direction")) == ("en", "ltr")
    assert page.get_by_role("link", name="English").get_attribute("hreflang") == "en"

    paragraph = page.locator(".article-body > p").first
    assert _style(paragraph, "direction") == "rtl"
    edges = paragraph.evaluate(
        "e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; }"
    )
    # The first word starts at the right edge, as a right-to-left reader looks for it.
    first = _box(paragraph, "من يوقظه")
    assert abs(first["right"] - edges[1]) < 1.5, (first, edges)
    # The English name keeps its own order, and lies left of the Arabic word before it.
    nocturnal, cramps = _box(paragraph, "nocturnal"), _box(paragraph, "cramps")
    assert _same_line(nocturnal, cramps) and nocturnal["right"] < cramps["left"]
    before = _box(paragraph, "بالإنجليزية")
    assert _same_line(before, nocturnal) and cramps["right"] < before["left"]
    # Numbers read left to right, and lie left of the word before them: "after age 60".
    for number, word in (("10", "إلى"), ("60", "سنّ")):
        digits = [_box(paragraph, number, at)["left"] for at in range(len(number))]
        assert digits == sorted(digits), f"the digits of {number} are out of order"
        whole, before = _box(paragraph, number), _box(paragraph, word)
        assert _same_line(whole, before) and whole["right"] < before["left"], number

    problem = _compare(paragraph.screenshot(animations="disabled", caret="hide"), shots)
    page.screenshot(path=shots / "arabic-article.png", full_page=True)
    context.close()
    assert problem == "", problem


def test_a_hebrew_post_under_an_english_article_runs_right_to_left(
    browser: Browser, served: str, shots: Path
) -> None:
    context = browser.new_context(base_url=served, viewport=WINDOW)
    page = context.new_page()
    page.goto(ENGLISH)
    assert page.locator("article.article").get_attribute("dir") is None  # the page's own
    bodies = page.locator(".post .post-body")
    hebrew = page.locator(".post .post-body", has_text=HEBREW[:20])
    assert _style(hebrew, "direction") == "rtl"
    words = hebrew.locator("p").first
    right = hebrew.evaluate("e => e.getBoundingClientRect().right")
    first = _box(words, "גם אני")
    assert abs(first["right"] - right) < 1.5, "the Hebrew post starts at the right edge"
    # Its neighbours, and its own English heading, stay left to right.
    others = [b for b in bodies.all() if HEBREW[:20] not in b.inner_text()]
    assert others and all(_style(b, "direction") == "ltr" for b in others)
    post = page.locator("article.post").filter(has_text=HEBREW[:20])
    assert _style(post.locator("h3"), "direction") == "ltr"
    post.screenshot(path=shots / "hebrew-post.png")
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_both_directions_pass_axe(browser: Browser, served: str, scheme: Any) -> None:
    context = browser.new_context(base_url=served, bypass_csp=True, color_scheme=scheme)
    page: Page = context.new_page()
    problems = {}
    for name, url in {"arabic article": ARABIC, "hebrew post": ENGLISH}.items():
        page.goto(url)
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            problems[name] = results.generate_report()
    context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
