"""Widgets on another site's page (another port of 127.0.0.1), in Chromium: each one shows
its content as an iframe and as a script, and a hostile stylesheet cannot restyle them."""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import re
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect

from knowhow.articles.models import Article, Person, Topic
from knowhow.facts.models import Event, Fact
from tests.browser.test_accessibility import WCAG_TAGS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE_CSS = """
* { color: red !important; font-family: "Comic Sans MS", cursive !important;
    font-size: 31px !important; line-height: 3 !important; letter-spacing: 4px !important;
    text-transform: uppercase !important; display: inline !important; }
div, p, ul, li, a, span, section { border: 5px solid lime !important; background: yellow !important;
    padding: 20px !important; margin: 20px !important; text-decoration: none !important; }
knowhow-widget { display: none !important; width: 10px !important; opacity: 0.2 !important; }
html { font-size: 40px; }
"""
# What each widget is asked for, and a text it must then show.
WIDGETS = {
    "fact": ({}, "Honey found in old tombs can still be eaten."),
    "on-this-day": ({}, "A lighthouse was lit for the first time."),
    "latest": ({"count": "2"}, "Why we yawn"),
    "topic": ({"topic": "sleep"}, "How long should a nap be?"),
    "article": ({"article": "why-we-yawn", "theme": "dark"}, "Yawning spreads from person"),
}
TRICKY_TITLE = '<img src=x onerror="document.title=1"> Naps & <b>dreams</b>'
# Computed styles compared inside each widget with and without the hostile stylesheet.
PROPERTIES = [
    "color",
    "font-family",
    "font-size",
    "line-height",
    "display",
    "letter-spacing",
    "text-transform",
    "border-top-width",
    "border-top-color",
    "background-color",
    "margin-top",
    "padding-top",
    "text-decoration-line",
    "opacity",
    "width",
]


@pytest.fixture
def content() -> None:
    writer = Person.objects.create(name="Wendy Writer")
    sleep = Topic.objects.create(name="Sleep", slug="sleep")
    body = Topic.objects.create(name="Body", slug="body")
    now = timezone.now()
    Article.objects.create(
        title="How long should a nap be?",
        topic=sleep,
        written_by=writer,
        body="Short naps help.",
        status=Article.Status.PUBLISHED,
        published_at=now - dt.timedelta(days=3),
    )
    Article.objects.create(
        title="Why we yawn",
        slug="why-we-yawn",
        topic=body,
        written_by=writer,
        body="Yawning spreads from person to person, and nobody is quite sure why.",
        status=Article.Status.PUBLISHED,
        published_at=now - dt.timedelta(days=1),
    )
    Article.objects.create(
        title=TRICKY_TITLE,
        topic=sleep,
        written_by=writer,
        body="A title that tries to be markup.",
        status=Article.Status.PUBLISHED,
        published_at=now - dt.timedelta(days=9),
    )
    Fact.objects.create(text="Honey found in old tombs can still be eaten.")
    today = timezone.localdate()
    Event.objects.create(
        year=1822, month=today.month, day=today.day, text="A lighthouse was lit for the first time."
    )


def _host_page(site: str, hostile: bool) -> str:
    """Another site's page with every widget both ways, under a strict policy of its own."""
    parts = []
    for kind, (options, _) in WIDGETS.items():
        query = "&".join(f"{k}={v}" for k, v in options.items())
        attrs = "".join(f' data-{k}="{v}"' for k, v in options.items())
        parts.append(
            f'<section id="frame-{kind}"><iframe src="{site}/widgets/{kind}/?{query}" '
            f'width="320" height="260" title="{kind}"></iframe></section>'
            f'<section id="script-{kind}"><script async src="{site}/widgets/embed.js" '
            f'data-widget="{kind}"{attrs}></script></section>'
        )
    policy = (
        f"default-src 'self'; script-src {site}; connect-src {site}; frame-src {site}; "
        "style-src 'self'"
    )
    sheet = '<link rel="stylesheet" href="hostile.css">' if hostile else ""
    return (
        f'<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
        f"<title>A blog</title>{sheet}</head><body><h1>A blog</h1>{''.join(parts)}</body></html>"
    )


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def other_site(tmp_path: Path, live_server) -> Iterator[str]:  # type: ignore[no-untyped-def]
    (tmp_path / "plain.html").write_text(_host_page(live_server.url, hostile=False))
    (tmp_path / "hostile.html").write_text(_host_page(live_server.url, hostile=True))
    (tmp_path / "hostile.css").write_text(HOSTILE_CSS)
    (tmp_path / "favicon.ico").write_bytes(b"")
    handler = functools.partial(Quiet, directory=str(tmp_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _note_error(problems: list[str], message: Any) -> None:
    if message.type == "error":
        problems.append(message.text)


def _styles(page: Page) -> dict[str, list[list[str]]]:
    return page.evaluate(
        """(properties) => {
          const found = {};
          for (const host of document.querySelectorAll("knowhow-widget")) {
            const kind = host.closest("section").id;
            const nodes = [host, ...host.shadowRoot.querySelectorAll("*")];
            found[kind] = nodes.map((node) => {
              const style = getComputedStyle(node);
              return [node.tagName, ...properties.map((name) => style.getPropertyValue(name))];
            });
          }
          return found;
        }""",
        PROPERTIES,
    )


def _open(browser: Browser, url: str, shots: Path, name: str) -> tuple[Page, list[str]]:
    context = browser.new_context(viewport={"width": 1100, "height": 2600})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems: list[str] = []
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(url)
    for kind, (_, text) in WIDGETS.items():
        expect(page.frame_locator(f"#frame-{kind} iframe").locator("body")).to_contain_text(text)
        expect(page.locator(f"#script-{kind} knowhow-widget")).to_contain_text(text)
    page.screenshot(path=shots / f"{name}.png", full_page=True)
    return page, problems


def test_each_widget_shows_its_content_both_ways_on_another_site(
    browser: Browser,
    content: None,
    other_site: str,
    live_server,
    shots: Path,  # type: ignore[no-untyped-def]
) -> None:
    page, problems = _open(browser, other_site + "/plain.html", shots, "other-site")
    assert problems == []  # no policy violation, no script error, on the host or in frames
    # Links go back to the site, in a new tab; the site's name is on each widget.
    card = page.locator("#script-article knowhow-widget")
    link = card.get_by_role("link", name="Why we yawn").first
    assert link.get_attribute("href") == live_server.url + "/articles/why-we-yawn/"
    assert link.get_attribute("target") == "_blank"
    assert link.get_attribute("rel") == "noopener"
    for kind in WIDGETS:
        for where in (
            page.locator(f"#script-{kind} knowhow-widget"),
            page.frame_locator(f"#frame-{kind} iframe").locator("body"),
        ):
            expect(where.get_by_role("link", name="Knowhow")).to_have_attribute(
                "href", live_server.url + "/"
            )
    # An article's title is only ever text, both ways.
    for where in (
        page.locator("#script-topic knowhow-widget"),
        page.frame_locator("#frame-topic iframe").locator("body"),
    ):
        expect(where.get_by_role("link", name=TRICKY_TITLE)).to_have_count(1)
        expect(where.locator("img, b")).to_have_count(0)
    assert page.title() == "A blog"
    # Two of two latest articles, newest first.
    items = page.locator("#script-latest knowhow-widget li")
    expect(items).to_have_count(2)
    expect(items.first).to_contain_text("Why we yawn")
    page.context.close()


def test_a_hostile_stylesheet_does_not_restyle_the_script_widgets(
    browser: Browser, content: None, other_site: str, shots: Path
) -> None:
    plain, _ = _open(browser, other_site + "/plain.html", shots, "plain")
    hostile, _ = _open(browser, other_site + "/hostile.html", shots, "hostile")
    assert hostile.evaluate("getComputedStyle(document.querySelector('h1')).color") == (
        "rgb(255, 0, 0)"
    )  # the sheet works on the host's own page
    before, after = _styles(plain), _styles(hostile)
    assert set(before) == {f"script-{kind}" for kind in WIDGETS}
    for kind in before:
        assert after[kind] == before[kind], kind
    for kind in WIDGETS:  # the same size, to the pixel (the host may shift it by a fraction)
        boxes = []
        for page, name in ((plain, "plain"), (hostile, "hostile")):
            widget = page.locator(f"#script-{kind} knowhow-widget")
            widget.screenshot(path=shots / f"{kind}-{name}.png", animations="disabled")
            boxes.append(widget.bounding_box())
        assert boxes[0] and boxes[1]
        assert abs(boxes[0]["width"] - boxes[1]["width"]) < 1, kind
        assert abs(boxes[0]["height"] - boxes[1]["height"]) < 1, kind
    plain.context.close()
    hostile.context.close()


def test_the_gallery_is_accessible_works_on_a_phone_and_updates_snippets(
    browser: Browser,
    content: None,
    live_server,
    shots: Path,  # type: ignore[no-untyped-def]
) -> None:
    axe_context = browser.new_context(base_url=live_server.url, bypass_csp=True)
    checked = axe_context.new_page()
    pages = ["/widgets/?article=why-we-yawn", "/widgets/?widget=topic&topic=nope"]
    for kind, (options, _) in WIDGETS.items():
        query = "&".join(f"{k}={v}" for k, v in options.items())
        pages.append(f"/widgets/{kind}/?{query}")
    for url in pages:
        checked.goto(url)
        results = Axe().run(checked, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
        assert results.violations_count == 0, url + "\n" + results.generate_report()
    axe_context.close()

    for name, viewport in (("desktop", (1200, 900)), ("phone", (390, 844))):
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": viewport[0], "height": viewport[1]},
            is_mobile=name == "phone",
        )
        page = context.new_page()
        problems: list[str] = []
        page.on("console", functools.partial(_note_error, problems))
        page.goto("/widgets/?article=why-we-yawn")
        section = page.locator("#w-latest")
        expect(section.get_by_role("button", name="Copy script snippet")).to_be_visible()
        section.get_by_label("How many articles (1 to 10)").fill("2")
        section.get_by_label("Dark").check()
        snippet = section.get_by_label("Script snippet")
        expect(snippet).to_have_value(re.compile(r'data-count="2" data-theme="dark"'))
        expect(section.get_by_label("Iframe snippet (works without JavaScript)")).to_have_value(
            re.compile(r"count=2&amp;theme=dark")
        )
        expect(section.locator("iframe")).to_have_attribute("src", re.compile("count=2&theme=dark"))
        typed = [snippet.input_value(), section.locator("[data-snippet=iframe]").input_value()]
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport[0], f"{name}: the page is {width}px wide"
        page.screenshot(path=shots / f"gallery-{name}.png", full_page=True)
        assert problems == [], problems
        # The snippets written in the browser are those the form would have had rendered.
        page.goto("/widgets/?widget=latest&count=2&theme=dark&width=320&article=why-we-yawn")
        section = page.locator("#w-latest")
        rendered = [
            section.get_by_label("Script snippet").input_value(),
            section.locator("[data-snippet=iframe]").input_value(),
        ]
        assert typed == rendered
        context.close()


def test_the_gallery_works_without_javascript(
    browser: Browser,
    content: None,
    live_server,  # type: ignore[no-untyped-def]
) -> None:
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/widgets/")
    section = page.locator("#w-topic")
    expect(section.get_by_role("button", name="Copy script snippet")).to_be_hidden()
    section.get_by_label("Topic").select_option("sleep")
    section.get_by_label("Dark").check()
    section.get_by_role("button", name="Update preview and snippets").click()
    section = page.locator("#w-topic")
    expect(section.get_by_label("Script snippet")).to_have_value(
        re.compile(r'data-topic="sleep" data-count="5" data-theme="dark"')
    )
    preview = section.frame_locator("iframe").locator("body")
    expect(preview).to_contain_text("How long should a nap be?")
    context.close()
