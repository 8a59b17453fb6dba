"""A site in three languages, served for real with its page cache: a reader switches the
interface without JavaScript, reads the demo's translation, and every page stays
accessible and fits a phone."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser

from tests.test_serve import _env, demo_server

pytestmark = [pytest.mark.browser]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
ORIGINAL = "/articles/what-is-a-black-hole/"
SPANISH = "/articles/que-es-un-agujero-negro/"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    var_dir = tmp_path_factory.mktemp("languages-site") / "var"
    env = {**_env(var_dir), "KNOWHOW_LANGUAGES": "en,es,ar"}
    with demo_server(env, var_dir.parent / "serve.log") as base:
        yield base


def test_a_reader_switches_language_without_javascript(
    browser: Browser, served: str, shots: Path
) -> None:
    context = browser.new_context(
        base_url=served, java_script_enabled=False, locale="en-GB",
        viewport={"width": 1200, "height": 900},
    )  # fmt: skip
    page = context.new_page()
    page.goto(ORIGINAL)
    assert page.locator("html").get_attribute("lang") == "en"
    page.screenshot(path=shots / "1-english.png", full_page=True)
    page.get_by_label("Language").select_option("ar")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.url == served + ORIGINAL
    html = page.locator("html")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("ar", "rtl")
    article = page.locator("article.article")
    assert (article.get_attribute("lang"), article.get_attribute("dir")) == ("en", "ltr")
    page.screenshot(path=shots / "2-arabic-interface.png", full_page=True)
    # Another reader whose browser asks for English still gets English.
    other = browser.new_context(base_url=served, locale="en-GB").new_page()
    other.goto(ORIGINAL)
    assert other.locator("html").get_attribute("lang") == "en"
    page.get_by_role("link", name="Español").click()
    assert page.url == served + SPANISH
    assert page.locator("h1").inner_text() == "¿Qué es un agujero negro?"
    page.screenshot(path=shots / "3-translation.png", full_page=True)
    context.close()


def test_translated_pages_pass_axe_and_fit_a_phone(
    browser: Browser, served: str, shots: Path
) -> None:
    checked = browser.new_context(base_url=served, bypass_csp=True, locale="es-ES")
    page = checked.new_page()
    problems = {}
    for name, url in {"original": ORIGINAL, "translation": SPANISH}.items():
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "es"
        results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        if results.violations_count:
            problems[name] = results.generate_report()
    checked.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
    for width, locale in ((320, "en"), (390, "ar"), (320, "ar")):
        phone = browser.new_context(
            base_url=served, viewport={"width": width, "height": 800}, locale=locale
        ).new_page()
        phone.goto(SPANISH)
        wanted = "rtl" if locale == "ar" else "ltr"
        assert phone.locator("html").get_attribute("dir") == wanted
        sideways = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        wide = phone.evaluate(
            "[...document.querySelectorAll('.site-header *, .site-header')].filter(e => {const r = "
            "e.getBoundingClientRect(); return r.right > window.innerWidth + 1 || r.left < -1})"
            ".slice(0, 12).map(e => e.tagName + '.' + e.className + ' ' + "
            "Math.round(e.getBoundingClientRect().left) + '..' + "
            "Math.round(e.getBoundingClientRect().right))"
        )
        assert sideways <= 0, f"{width} px: {sideways} px of sideways scroll: {wide}"
        phone.screenshot(path=shots / f"phone-{width}-{locale}.png", full_page=True)
        phone.context.close()


def test_every_language_and_scheme_is_accessible_and_kept_in_screenshots(
    browser: Browser, served: str, shots: Path
) -> None:
    """The home page, an article and its discussion, in each language and scheme, on a phone
    and a desktop: axe finds nothing, nothing scrolls sideways, and screenshots stay in the
    tests' output for a person to look at."""
    problems: dict[str, str] = {}
    for locale in ("en", "es", "ar"):
        for scheme in ("light", "dark"):
            for width in (390, 1280):
                context = browser.new_context(
                    base_url=served, bypass_csp=True, locale=locale, color_scheme=scheme,
                    viewport={"width": width, "height": 900},
                )  # fmt: skip
                page = context.new_page()
                for name, url in (("home", "/"), ("article", ORIGINAL)):
                    page.goto(url)
                    html = page.locator("html")
                    wanted = (locale, "rtl" if locale == "ar" else "ltr")
                    assert (html.get_attribute("lang"), html.get_attribute("dir")) == wanted
                    page.screenshot(path=shots / f"{name}-{locale}-{scheme}-{width}.png")
                    sideways = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    if sideways > 0:
                        problems[f"{name} {locale} {scheme} {width}"] = f"{sideways} px sideways"
                    if width == 1280:
                        results = Axe().run(
                            page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}
                        )
                        if results.violations_count:
                            problems[f"{name} {locale} {scheme}"] = results.generate_report()
                page.goto(ORIGINAL + "#discuss")
                page.screenshot(path=shots / f"discussion-{locale}-{scheme}-{width}.png")
                context.close()
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())
