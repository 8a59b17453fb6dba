"""Whatever hostile text a reader or an author writes, nothing on the page can run script.

Hypothesis builds Markdown and HTML from the pieces attacks are made of (tags, event
handlers, entity- and percent-encoded schemes, control characters inside schemes, nested
brackets, mixed case) and every output is parsed as a browser would, element by element:
no script-bearing element, no event-handler attribute, no script URL.
"""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.core.paginator import Paginator
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.html import strip_tags
from django.utils.text import Truncator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowhow import markup
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.pages.context import fill_viewer_name, fill_viewer_url

EXAMPLES = settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

# Elements that run or load active content, or change where the page's links and forms go.
ACTIVE_ELEMENTS = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "base", "svg",
    "math", "style", "link", "form", "input", "button", "textarea", "select", "portal",
}  # fmt: skip
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "xlink:href", "data", "poster", "background",
    "srcset", "cite", "longdesc", "dynsrc", "lowsrc", "ping",
}  # fmt: skip
# On a whole page the site's own stylesheet link and sign-out form are expected; what the
# username adds is checked by comparing the page's elements with those for a plain name.
PAGE_ACTIVE_ELEMENTS = ACTIVE_ELEMENTS - {"link", "form", "input", "button"}
SCRIPT_SCHEMES = ("javascript:", "vbscript:", "data:", "livescript:")

# -- what attacks are made of --------------------------------------------------------------

SCHEMES = st.sampled_from(
    [
        "javascript:", "JaVaScRiPt:", "JAVASCRIPT:", " javascript:", "\x01javascript:",
        "java\tscript:", "java\nscript:", "java\rscript:", "java\x00script:",
        "&#106;avascript:", "&#x6A;avascript:", "&#X6a;&#x61;vascript:", "&#0000106avascript:",
        "javascript&colon;", "javascript&#58;", "javascript&#x3a;", "jav&#x09;ascript:",
        "jav&#9;ascript:", "%6Aavascript:", "javascript\\:", "vbscript:", "VBScript:",
        "data:text/html,", "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,", "data:image/svg+xml,", "livescript:", "\u200bjavascript:",
        "javascript\u00ad:", "ｊavascript:",
    ]
)  # fmt: skip
PAYLOADS = st.sampled_from(["alert(1)", "alert`1`", "//evil.example/x", "prompt(document.cookie)"])
URLS = st.builds(lambda scheme, payload: scheme + payload, SCHEMES, PAYLOADS) | st.sampled_from(
    ["https://example.org/", "//evil.example/", "/local/", "#frag", "mailto:a@example.org"]
)
TAGS = st.sampled_from(
    [
        "script", "SCRIPT", "ScRiPt", "img", "svg", "iframe", "object", "embed", "base", "meta",
        "a", "form", "input", "button", "math", "style", "details", "body", "video", "audio",
        "source", "link", "frameset", "applet", "isindex", "marquee", "xss", "p", "em",
        "strong", "code", "table", "td", "abbr", "noscript", "template", "textarea", "title",
    ]
)  # fmt: skip
EVENTS = st.sampled_from(
    [
        "onerror",
        "onload",
        "onclick",
        "ONMOUSEOVER",
        "onFocus",
        "ontoggle",
        "onbegin",
        "onanimationstart",
    ]
)
ATTRIBUTES = st.sampled_from(
    ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc", "style", "http-equiv",
     "content", "title", "alt", "background", "poster"]
)  # fmt: skip
QUOTES = st.sampled_from(['"', "'", "", "`"])
GAPS = st.sampled_from([" ", "/", "\t", "\n", "\x0c", "  ", "/ ", "\n\n", ""])


@st.composite
def elements(draw: st.DrawFn) -> str:
    tag = draw(TAGS)
    attrs = []
    for _ in range(draw(st.integers(0, 3))):
        quote = draw(QUOTES)
        if draw(st.booleans()):
            name, value = draw(EVENTS), draw(PAYLOADS)
        else:
            name = draw(ATTRIBUTES)
            value = draw(URLS) if name != "http-equiv" else "refresh"
        if name == "content":
            value = "0;url=" + draw(URLS)
        attrs.append(f"{draw(GAPS) or ' '}{name}={quote}{value}{quote}")
    close = draw(st.sampled_from([">", "/>", " >", "", ">" + draw(PAYLOADS) + f"</{tag}>"]))
    return f"<{tag}{''.join(attrs)}{close}"


@st.composite
def markdown_links(draw: st.DrawFn) -> str:
    url = draw(URLS)
    text = draw(st.sampled_from(["click", "[nested](x)", "![i](y)", "<b>x</b>", "", "*a*"]))
    title = draw(st.sampled_from(["", ' "t"', " 't'", ' "x onmouseover=alert(1)"']))
    form = draw(st.integers(0, 5))
    if form == 0:
        return f"[{text}]({url}{title})"
    if form == 1:
        return f"![{text}]({url}{title})"
    if form == 2:
        return f"<{url}>"
    if form == 3:
        return f"[{text}][r]\n\n[r]: {url}{title}\n"
    if form == 4:
        return f"[{text}](<{url}>)"
    return f"[[{text}]({url})]({url})"


PIECES = st.one_of(
    elements(),
    markdown_links(),
    URLS,
    st.sampled_from(
        [
            "<",
            ">",
            "</",
            "<!--",
            "-->",
            "<![CDATA[",
            "]]>",
            '"',
            "'",
            "`",
            "```",
            "*",
            "_",
            "&lt;",
            "&gt;",
            "&amp;",
            "&#60;",
            "&#x3C;",
            "&#0;",
            "\\",
            "[",
            "]",
            "(",
            ")",
            "\n\n",
            "@reader",
            '@x"><script>',
            "<scr<script>ipt>",
            "</script>",
            "<!doctype html>",
            "<?xml?>",
            "<%",
            "{{",
            "}}",
            "{%",
            "\u202e",
            "\u200b",
            "\x00",
            "\x0b",
            "    code",
        ]
    ),  # fmt: skip
    st.text(max_size=12),
)
HOSTILE = st.lists(PIECES, min_size=1, max_size=12).map("".join)


# -- what a browser would build ----------------------------------------------------------------


class _Browser(HTMLParser):
    """Elements and attributes as a browser builds them; attribute values entity-decoded."""

    def __init__(self, active: set[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.active = active
        self.problems: list[str] = []
        self.elements: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append(tag)
        if tag in self.active:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=>")
            if name in ("srcdoc", "style"):
                self.problems.append(f"<{tag} {name}=>")
            if tag == "meta" and name == "http-equiv":
                self.problems.append("<meta http-equiv>")
            if name in URL_ATTRIBUTES and _runs_script(value or ""):
                self.problems.append(f"<{tag} {name}={value!r}>")


def _runs_script(url: str) -> bool:
    # Browsers drop ASCII whitespace and control characters around a URL and tabs and
    # newlines inside it before they read its scheme.
    squeezed = re.sub(r"[\x00-\x20\x7f]", "", url).lower()
    return squeezed.startswith(SCRIPT_SCHEMES)


def assert_no_script(html: str, source: str, active: set[str] = ACTIVE_ELEMENTS) -> list[str]:
    """Fails on anything in the HTML that could run script; returns its elements."""
    browser = _Browser(active)
    browser.feed(html)
    browser.close()
    problems = list(browser.problems)
    if re.search(r"<\s*script", html, re.IGNORECASE):
        problems.append("<script")
    assert problems == [], f"{problems} from {source!r} in {html!r}"
    return browser.elements


# The site's own script and the colour chooser it shows, exactly as every page carries them:
# a name on the page is escaped, so it cannot bring in these bytes.
SITE_OWN = re.compile(
    r'<script src="/static/knowhow/scheme\.js"></script>|<div class="scheme" hidden>.*?</div>',
    re.S,
)


def assert_page_has_no_script(html: str, source: str, plain: str) -> None:
    """A whole page: nothing that runs script but the site's own, and no element the name
    brought in."""
    html, plain = SITE_OWN.sub("", html, count=2), SITE_OWN.sub("", plain, count=2)
    elements = assert_no_script(html, source, PAGE_ACTIVE_ELEMENTS)
    assert elements == assert_no_script(plain, "a plain name", PAGE_ACTIVE_ELEMENTS), source


# -- the properties ------------------------------------------------------------------------------


@EXAMPLES
@given(HOSTILE)
def test_no_rendered_post_can_run_script(text: str) -> None:
    assert_no_script(markup.render_post(text), text)
    assert_no_script(markup.render_post(text, lambda name: "/articles/a/posts/1/"), text)


@EXAMPLES
@given(HOSTILE)
def test_no_rendered_article_can_run_script(text: str) -> None:
    assert_no_script(markup.render_article(text), text)


@EXAMPLES
@given(HOSTILE)
def test_no_post_snippet_can_run_script(text: str) -> None:
    """The feed's short summary of a post, read as HTML by the laxest feed reader."""
    snippet = Truncator(strip_tags(markup.render_post(text)).strip()).chars(200)
    assert_no_script(snippet, text)


# Names as old accounts or an import may hold them: anything but a slash, which no profile
# address could carry.
NAMES = HOSTILE.map(lambda name: name.replace("/", "")[:150]).filter(bool)


# The page's menu asks the database which permissions the reader holds.
@pytest.mark.django_db
@EXAMPLES
@given(NAMES)
def test_no_username_on_a_page_can_run_script(name: str) -> None:
    user = User(pk=7, username=name, date_joined=dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
    article = Article(pk=1, slug="cramps", title="What is a Muscle Cramp?")
    post = Post(
        pk=1,
        article=article,
        number=1,
        author=user,
        body_html="<p>Hello.</p>",
        status=Post.Status.PUBLISHED,
        created_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
    )
    context = {"post": post, "article": article, "changeable": set()}
    assert_no_script(render_to_string("discussion/partials/post.html", context), name)

    # The reader's own page, seen by them and by another: the header's name and link, the
    # title, the heading; the same elements as for a plain name, nothing that runs script.
    plain = User(pk=7, username="plainname", date_joined=user.date_joined)
    assert_page_has_no_script(_reader_page(user, user), name, _reader_page(plain, plain))
    anonymous = AnonymousUser()
    assert_page_has_no_script(_reader_page(user, anonymous), name, _reader_page(plain, anonymous))
    # The same name filled into a page the page cache kept.
    assert_no_script(
        f'<a href="{fill_viewer_url("", user)}">{fill_viewer_name("", user)}</a>', name
    )


def _reader_page(reader: User, viewer: User | AnonymousUser) -> str:
    request = RequestFactory().get("/")
    request.user = viewer
    page = Paginator([], 20).get_page(1)
    return render_to_string("accounts/reader.html", {"reader": reader, "page": page}, request)


def test_the_check_sees_what_a_browser_would_run() -> None:
    """The checker itself: each of these runs script in a browser, and each is caught."""
    for html in (
        '<a href="java&#x09;script:alert(1)">x</a>',
        '<a href=" &#1;JAVASCRIPT:alert(1)">x</a>',
        "<img src=x oNeRrOr=alert(1)>",
        '<iframe srcdoc="x"></iframe>',
        '<meta http-equiv="refresh" content="0;url=/">',
        "<base href=//evil.example/>",
        "< script>alert(1)</script>",
    ):
        try:
            assert_no_script(html, "a known attack")
        except AssertionError:
            continue
        raise AssertionError(f"the check missed {html!r}")
