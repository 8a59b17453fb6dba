"""The reader's look in Chromium: every public page passes axe in light and in dark, fits a
320 px screen without sideways scrolling, shows the focus ring, and is photographed at
phone and desktop widths in both schemes (test-output/browser/); a reader's own choice of
scheme is kept in the browser alone; without script the system's setting applies."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import Browser, Page

from knowhow.articles.models import Article, Person, Topic
from knowhow.facts.models import Fact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAPER = {"light": "rgb(255, 255, 255)", "dark": "rgb(20, 23, 29)"}
FOCUS_YELLOW = "rgb(255, 221, 0)"
# The demo article with a lead picture, a table and a table of contents.
ARTICLE = "what-are-electrolytes"


def _demo_pages() -> dict[str, str]:
    call_command("demo", verbosity=0)
    article = Article.objects.get(slug=ARTICLE)
    return {
        "home": "/",
        "article": article.get_absolute_url(),
        "print": article.get_print_url(),
        "articles": "/articles/",
        "topics": "/topics/",
        "topic": article.topic.get_absolute_url(),
        "person": article.written_by.get_absolute_url(),
        "search": "/search/?q=salt",
        "facts": "/facts/",
        "fact": Fact.objects.first().get_absolute_url(),  # type: ignore[union-attr]
        "on-this-day": "/on-this-day/9/18/",
        "widgets": "/widgets/",
        "sign-in": "/accounts/login/",
        "sign-up": "/accounts/signup/",
        "reset": "/accounts/password_reset/",
        "not-found": "/no-such-page/",
    }


def _paper(page: Page) -> str:
    return str(page.evaluate("getComputedStyle(document.body).backgroundColor"))


def _all_pictures_loaded(page: Page) -> None:
    for picture in page.locator("img[loading=lazy]").all():
        picture.scroll_into_view_if_needed()
    page.wait_for_function(
        "[...document.images].every(img => img.complete && img.naturalWidth > 0)"
    )
    page.evaluate("window.scrollTo(0, 0)")


def test_public_pages_in_both_schemes_pass_axe_reflow_and_show_the_focus(  # type: ignore[no-untyped-def]
    browser: Browser, live_server, shots
) -> None:
    pages = _demo_pages()
    problems: dict[str, str] = {}
    wide: dict[str, int] = {}
    for scheme in ("light", "dark"):
        # axe is injected by script, which the site's Content-Security-Policy would refuse.
        context = browser.new_context(
            base_url=live_server.url, bypass_csp=True, color_scheme=scheme
        )
        page = context.new_page()
        axe = Axe()
        for name, url in pages.items():
            page.goto(url)
            expected = PAPER["light"] if name == "print" else PAPER[scheme]
            assert _paper(page) == expected, (scheme, name)  # print is always light
            results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
            if results.violations_count:
                problems[f"{scheme} {name}"] = results.generate_report()
        # The focus ring: yellow behind the focused link, in either scheme.
        page.goto("/")
        page.keyboard.press("Tab")  # the skip link
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "(() => { const s = getComputedStyle(document.activeElement);"
            " return [document.activeElement.className, s.backgroundColor, s.color]; })()"
        )
        assert focused == ["brand", FOCUS_YELLOW, "rgb(11, 12, 12)"], scheme
        page.locator("#site-search-q").focus()
        ring = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
        assert ring == FOCUS_YELLOW
        # 400% zoom of a 1280 px screen: 320 px, and nothing scrolls sideways.
        page.set_viewport_size({"width": 320, "height": 640})
        for name in ("home", "article", "topic", "person", "search", "sign-in", "print"):
            page.goto(pages[name])
            width = int(page.evaluate("document.documentElement.scrollWidth"))
            if width > 320:
                wide[f"{scheme} {name}"] = width
            page.screenshot(path=shots / f"{name}-320-{scheme}.png", full_page=True)
        # The article's table scrolls in its own box instead.
        page.goto(pages["article"])
        box = page.locator(".table-scroll").first
        assert page.evaluate("b => b.scrollWidth > b.clientWidth", box.element_handle())
        box.focus()
        assert page.evaluate("document.activeElement.getAttribute('role')") == "region"
        context.close()
    assert wide == {}
    assert problems == {}, "\n\n".join(f"{k}:\n{v}" for k, v in problems.items())


def test_screenshots_of_home_article_and_topic_in_both_schemes(  # type: ignore[no-untyped-def]
    browser: Browser, live_server, shots
) -> None:
    pages = _demo_pages()
    for scheme in ("light", "dark"):
        for width, height in ((390, 844), (1280, 900)):
            context = browser.new_context(
                base_url=live_server.url,
                viewport={"width": width, "height": height},
                color_scheme=scheme,
            )
            page = context.new_page()
            for name in ("home", "article", "topic"):
                page.goto(pages[name])
                _all_pictures_loaded(page)
                assert _paper(page) == PAPER[scheme]
                page.screenshot(path=shots / f"{name}-{width}-{scheme}.png")
                page.screenshot(path=shots / f"{name}-{width}-{scheme}-full.png", full_page=True)
            # The home page leads with the featured article's picture, loaded first.
            page.goto("/")
            feature = page.locator(".featured img.feature-picture")
            assert feature.get_attribute("loading") == "eager"
            box = feature.bounding_box()
            assert box is not None and box["y"] < height  # the first screen shows it
            cards = page.locator("#recent-heading ~ ul.cards img.card-picture")
            assert cards.count() >= 9  # every demo article has its picture
            context.close()


def test_a_readers_choice_is_kept_in_the_browser_and_never_sent(  # type: ignore[no-untyped-def]
    browser: Browser, live_server
) -> None:
    call_command("demo", verbosity=0)
    topic = Topic.objects.get(name="Science")
    person = Person.objects.get(name="Owen Castellano")
    context = browser.new_context(base_url=live_server.url, color_scheme="light")
    page = context.new_page()
    sent: list[dict[str, str]] = []
    page.on("request", lambda request: sent.append(request.headers))
    answers: list[dict[str, str]] = []
    page.on("response", lambda response: answers.append(response.headers))
    light = page.goto(topic.get_absolute_url())
    assert light is not None
    light_body = light.body()
    assert _paper(page) == PAPER["light"]
    chooser = page.get_by_label("Colours")
    assert chooser.is_visible() and chooser.input_value() == "auto"
    chooser.select_option("dark")
    assert _paper(page) == PAPER["dark"]
    # Remembered on the next page, and in this browser only.
    page.goto(person.get_absolute_url())
    assert _paper(page) == PAPER["dark"] and page.get_by_label("Colours").input_value() == "dark"
    assert page.evaluate("localStorage.getItem('knowhow-scheme')") == "dark"
    dark = page.goto(topic.get_absolute_url())
    assert dark is not None and dark.body() == light_body  # one page for every reader
    assert not any("scheme" in headers.get("cookie", "") for headers in sent)
    assert not any("set-cookie" in headers for headers in answers)
    assert page.evaluate("document.cookie") == ""
    # Another tab follows the choice; "Auto" gives the device's say back.
    other = context.new_page()
    other.goto("/")
    assert _paper(other) == PAPER["dark"]
    page.get_by_label("Colours").select_option("auto")
    assert page.evaluate("localStorage.getItem('knowhow-scheme')") is None
    assert _paper(page) == PAPER["light"]
    other.wait_for_function("!document.documentElement.hasAttribute('data-scheme')")
    context.close()

    # Without script: the system's setting, and no chooser that could not work.
    for scheme in ("dark", "light"):
        plain = browser.new_context(
            base_url=live_server.url, java_script_enabled=False, color_scheme=scheme
        )
        page = plain.new_page()
        page.goto("/")
        assert _paper(page) == PAPER[scheme]
        assert not page.get_by_label("Colours").is_visible()
        plain.close()


def test_widgets_in_auto_follow_the_readers_scheme(browser: Browser, live_server) -> None:  # type: ignore[no-untyped-def]
    call_command("demo", verbosity=0)
    colours = {}
    for scheme in ("light", "dark"):
        context = browser.new_context(base_url=live_server.url, color_scheme=scheme)
        page = context.new_page()
        page.goto("/widgets/latest/?theme=auto")
        colours[scheme] = page.evaluate(
            "getComputedStyle(document.querySelector('.kw')).backgroundColor"
        )
        page.goto("/widgets/latest/?theme=light")
        fixed = page.evaluate("getComputedStyle(document.querySelector('.kw')).backgroundColor")
        assert fixed == "rgb(255, 255, 255)"  # a site that chose light keeps light
        context.close()
    assert colours == {"light": "rgb(255, 255, 255)", "dark": "rgb(27, 31, 39)"}
