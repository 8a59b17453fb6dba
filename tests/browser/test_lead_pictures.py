"""An article's lead picture in Chromium: loaded from the site's own media under its
Content-Security-Policy, the right copy for the screen, room kept for it before it loads,
on desktop and phone; the article, home and card pass axe."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from PIL import Image as Pillow
from PIL import ImageDraw
from playwright.sync_api import Browser

from knowhow.articles.models import Article
from knowhow.images.models import Image
from knowhow.images.services import upload_image
from knowhow.widgets.options import Options
from tests.images import pictures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def _landscape() -> bytes:
    """Hills under a sky: something a reader would recognise in a screenshot."""
    picture = Pillow.new("RGB", (2400, 1350), (120, 170, 220))
    draw = ImageDraw.Draw(picture)
    for row in range(0, 700, 10):
        draw.rectangle((0, row, 2400, row + 10), fill=(120 + row // 8, 170 + row // 12, 230))
    draw.ellipse((1700, 180, 1950, 430), fill=(250, 220, 120))
    draw.polygon(
        [(0, 1350), (0, 800), (700, 560), (1400, 900), (2400, 650), (2400, 1350)],
        fill=(60, 130, 70),
    )
    draw.polygon(
        [(0, 1350), (500, 1000), (1300, 1150), (2400, 980), (2400, 1350)], fill=(40, 100, 50)
    )
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=90)
    return out.getvalue()


@pytest.fixture
def illustrated(make_article: Callable[..., Article]) -> tuple[Article, Image]:
    image = upload_image(
        file=pictures.upload(_landscape(), "hills.jpg"),
        alt="Green hills under a clear sky with the sun low on the right",
        caption="Walking uphill stretches the calves.",
        credit="Photo: Knowhow Test Press",
        by=None,
    )
    return make_article(lead_image=image), image


@pytest.mark.parametrize(
    ("device", "width", "height"), [("desktop", 1280, 900), ("phone", 390, 844)]
)
def test_the_lead_picture_loads_fits_and_keeps_its_room(
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
    shots: Path,
    illustrated: tuple[Article, Image],
    device: str,
    width: int,
    height: int,
) -> None:
    article, image = illustrated
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": width, "height": height},
        device_scale_factor=1,
    )
    page = context.new_page()
    refused: list[str] = []
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None
    )
    # Before the picture arrives the page already holds its room (width and height).
    page.route("**/media/**", lambda route: None)  # held back: never answered
    page.goto(article.get_absolute_url(), wait_until="domcontentloaded")
    lead = page.locator("figure.lead-image img")
    held = lead.bounding_box()
    assert held is not None and held["height"] > 0.5 * held["width"]
    page.unroute("**/media/**")
    page.goto(article.get_absolute_url())
    lead = page.locator("figure.lead-image img")
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=lead.element_handle())
    box = lead.bounding_box()
    assert box is not None
    assert abs(box["height"] - box["width"] * image.height / image.width) < 2
    assert box["width"] <= width  # fits the screen
    assert abs(box["height"] - held["height"] * box["width"] / held["width"]) < 2
    chosen = lead.evaluate("img => img.currentSrc")
    chosen_width = int(chosen.rsplit("-", 1)[1].removesuffix("w.jpg"))
    assert chosen_width >= box["width"]
    assert chosen_width <= (960 if device == "phone" else 1280)  # no more than the screen needs
    assert page.get_by_text("Walking uphill stretches the calves.").is_visible()
    assert refused == []
    page.screenshot(path=shots / f"article-{device}.png", full_page=False)
    page.goto("/")
    card = page.locator("img.card-picture").first
    card.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=card.element_handle())
    card_box = card.bounding_box()
    assert card_box is not None and card_box["width"] <= min(width, 420)
    assert abs(card_box["height"] - card_box["width"] * 2 / 3) < 2  # the cards' one shape
    page.screenshot(path=shots / f"home-{device}.png", full_page=False)
    context.close()


def test_pages_with_pictures_pass_axe(
    browser: Browser,
    live_server,  # type: ignore[no-untyped-def]
    shots: Path,
    illustrated: tuple[Article, Image],
) -> None:
    article, _ = illustrated
    card = Options(kind="article", article=article.slug)
    pages = {
        "article": article.get_absolute_url(),
        "home": "/",
        "articles": "/articles/",
        "print": f"{article.get_absolute_url()}print/",
        "card": f"/widgets/article/?{card.query()}",
    }
    # axe is injected by script, which the site's Content-Security-Policy would rightly refuse.
    context = browser.new_context(
        base_url=live_server.url, bypass_csp=True, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    axe = Axe()
    problems = {}
    for name, url in pages.items():
        page.goto(url)
        results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            problems[name] = results.generate_report()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    page.goto(pages["print"])
    printed = page.locator("figure.lead-image img").bounding_box()
    assert printed is not None and 0 < printed["height"] <= 9 / 2.54 * 96 + 1  # 9 cm at most
    page.screenshot(path=shots / "print.png", full_page=True)
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 360, "height": 380})
    page.goto(pages["card"])
    page.screenshot(path=shots / "card.png")
    context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
