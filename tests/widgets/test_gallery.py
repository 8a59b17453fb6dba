"""The gallery: every widget with its options, preview and two snippets, without JavaScript."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape

import pytest
from django.test import Client

from knowhow.articles.models import Article, Topic
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


def snippets(html: str) -> list[str]:
    """The text each snippet box shows, as a visitor would copy it."""
    return [unescape(found) for found in re.findall(r"<textarea[^>]*>(.*?)</textarea>", html, re.S)]


def test_the_article_page_links_the_gallery_after_print_this_article(
    client: Client, article: Article
) -> None:
    html = client.get(article.get_absolute_url()).content.decode()
    link = re.search(r'<a href="([^"]+)">Free Widgets for your Site/Blog</a>', html)
    assert link is not None
    assert html.index("Print this Article") < link.start() < html.index("article-body")
    gallery = client.get(link.group(1).replace("&amp;", "&"))
    assert gallery.status_code == 200
    # The card widget offers the article the reader came from.
    assert f'data-article="{article.slug}"' in snippets(gallery.content.decode())[9]


def test_the_gallery_offers_every_widget_with_both_snippets(
    client: Client, article: Article
) -> None:
    html = client.get("/widgets/").content.decode()
    text = visible_text(html)
    for name in (
        "Did you know?",
        "On this day",
        "Latest articles",
        "Articles on a topic",
        "Article card",
    ):
        assert name in text
    shown = snippets(html)
    assert sum(s.startswith('<iframe src="http://testserver/widgets/') for s in shown) == 5
    assert (
        sum(s.startswith('<script async src="http://testserver/widgets/embed.js"') for s in shown)
        == 5
    )
    assert html.count('<iframe src="/widgets/') == 5  # a preview of each


def test_the_options_form_rerenders_snippets_and_preview(
    client: Client, make_article: Callable[..., Article]
) -> None:
    sleep = Topic.objects.create(name="Sleep", slug="sleep")
    make_article("Why we dream", topic=sleep)
    html = client.get("/widgets/?widget=topic&topic=sleep&count=3&theme=dark&width=400").content
    page = html.decode().replace("&quot;", '"').replace("&amp;", "&")
    assert 'src="/widgets/topic/?topic=sleep&count=3&theme=dark&width=400"' in page
    assert (
        'data-widget="topic" data-topic="sleep" data-count="3" data-theme="dark" data-width="400"'
        in page
    )
    assert 'value="sleep" selected' in page


def test_an_unknown_topic_in_the_gallery_is_a_404_that_says_so(
    client: Client, topic: Topic
) -> None:
    answer = client.get("/widgets/?widget=topic&topic=nope")
    assert answer.status_code == 404
    assert "There is no topic “nope” here." in visible_text(answer.content)
    answer = client.get("/widgets/?article=nope")
    assert answer.status_code == 404
    assert "There is no article “nope” here." in visible_text(answer.content)


def test_the_script_is_small_and_self_contained() -> None:
    import gzip
    from pathlib import Path

    import knowhow.widgets

    script = (Path(knowhow.widgets.__file__).parent / "static/widgets/embed.js").read_bytes()
    assert len(gzip.compress(script, 9)) < 5 * 1024
    assert b"import " not in script and b"innerHTML" not in script
    assert b"attachShadow" in script and b"adoptedStyleSheets" in script
