"""Script from readers or authors never runs: payloads in posts and article bodies render inert."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.test import Client

from knowhow import markup
from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    '<a href="&#106;avascript:alert(1)">x</a>',
    "[x](&#x6A;avascript:alert(1))",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<input autofocus onfocus="alert(1)">',
    "<details open ontoggle=alert(1)>",
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<form action="javascript:alert(1)"><button>go</button></form>',
    '"><script>alert(1)</script>',
    "<scr<script>ipt>alert(1)</script>",
    '<a href="https://example.org" onclick="alert(1)">x</a>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "![x](javascript:alert(1))",
    "<style>body{background:red}</style>",
    '<base href="https://evil.example/">',
]

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "svg", "math", "style", "meta", "link", "base",
    "form", "input", "button", "body", "details", "frame", "frameset",
}  # fmt: skip
URL_ATTRIBUTES = {"href", "src", "action", "data", "formaction", "xlink:href"}


class _Elements(HTMLParser):
    """Collects what a browser would build: elements and attributes, not escaped text."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name == "style":
                self.problems.append(f"{tag} {name}=")
            scheme = re.sub(r"[\s\x00-\x1f]", "", value or "").lower().split(":")[0]
            if name in URL_ATTRIBUTES and scheme in {"javascript", "vbscript", "data"}:
                self.problems.append(f"{tag} {name}={value}")


def assert_inert(html: str) -> None:
    parser = _Elements()
    parser.feed(html)
    assert parser.problems == [], f"dangerous markup survived: {parser.problems} in {html!r}"


def test_there_are_at_least_twenty_payloads() -> None:
    assert len(PAYLOADS) >= 20


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_a_post_renders_inert(payload: str, article: Article, client: Client) -> None:
    post_comment(article=article, body=f"Hello {payload} bye")
    page = client.get(article.get_absolute_url()).content.decode()
    discussion = page.split('id="discuss"')[1].split('id="post-your-comments"')[0]
    assert_inert(discussion)
    assert "bye" in discussion


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_an_article_body_renders_inert(
    payload: str, make_article, client: Client
) -> None:  # type: ignore[no-untyped-def]
    article = make_article("What is Inert Markup?", body=f"Intro paragraph.\n\n{payload}\n\nEnd.")
    for url in (article.get_absolute_url(), article.get_print_url()):
        page = client.get(url).content.decode()
        body = page.split('class="article-body"')[1].split("</div>")[0]
        assert_inert(body)


def test_payload_in_a_title_is_escaped(make_article, client: Client) -> None:  # type: ignore[no-untyped-def]
    article = make_article("<script>alert(1)</script>Why?", slug="why")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Why?" in page


def test_pages_forbid_inline_script(article: Article, client: Client) -> None:
    policy = client.get(article.get_absolute_url())["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy


def test_mention_cannot_inject_markup(article: Article) -> None:
    html = markup.render_post('@x"><script>alert(1)</script>', lambda name: "/p/1/")
    assert_inert(html)
