"""WordPress post HTML as an article body: what readers end up seeing."""

from __future__ import annotations

import pytest

from knowhow import markup
from knowhow.exchange.wordpress_html import article_body


def shown(content: str) -> str:
    return markup.render_article(article_body(content))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("One.\n\nTwo.", "<p>One.</p>\n<p>Two.</p>"),
        ("Line one\nline two", "<p>Line one<br>\nline two</p>"),
        ("[box][box]inner[/box] outer[/box]", "<p>inner outer</p>"),
        ('[tabs][tab title="A"]First[/tab][tab]Second[/tab][/tabs]', "<p>FirstSecond</p>"),
        ('Before [gallery ids="1,2"] after', "<p>Before  after</p>"),
        ('See [contact-form-7 id="9" /] here', "<p>See  here</p>"),
        ("Footnote [1] and [sic] stay", "<p>Footnote [1] and [sic] stay</p>"),
        ("*Not emphasis* and # not a heading", "<p>*Not emphasis* and # not a heading</p>"),
        # Section headings get an address from their words (the article's contents link it).
        ("<!-- wp:heading --><h2>Title</h2><!-- /wp:heading -->", '<h2 id="title">Title</h2>'),
        ("<h1>Too big</h1>", '<h2 id="too-big">Too big</h2>'),
        ('<div class="wp-block-group"><p>Kept</p></div>', "<p>Kept</p>"),
        ("Fish &amp; chips &lt;3", "<p>Fish &amp; chips &lt;3</p>"),
    ],
)
def test_wordpress_html_becomes_the_article_readers_see(content: str, expected: str) -> None:
    assert shown(content).strip() == expected


def test_a_caption_becomes_a_figure_with_its_caption() -> None:
    html = shown(
        '[caption width="300"]<img src="https://example.org/a.jpg" alt="Gull"> A gull[/caption]'
    )
    assert '<figure><img src="https://example.org/a.jpg" alt="Gull">' in html
    assert "<figcaption>A gull</figcaption>" in html


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        '<img src="x" onerror="alert(1)">',
        '<a href="javascript:alert(1)">x</a>',
        '<iframe src="https://evil.example"></iframe>',
        '<p onclick="alert(1)">x</p>',
        "<style>body{display:none}</style>",
    ],
)
def test_nothing_that_runs_survives(hostile: str) -> None:
    body = article_body(f"Before\n\n{hostile}\n\nAfter")
    for text in (body, markup.render_article(body)):
        for bad in ("alert", "<script", "onerror", "onclick", "javascript:", "iframe", "<style"):
            assert bad not in text
