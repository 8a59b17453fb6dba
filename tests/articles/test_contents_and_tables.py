"""The article page lists a long article's sections at its top, each linked to its heading,
and a table scrolls inside its own named box on a phone, keeping its header row."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from bs4 import BeautifulSoup
from django.test import Client

from knowhow import markup
from knowhow.articles.models import Article

pytestmark = pytest.mark.django_db

LONG = "\n\n".join(
    ["Intro words."]
    + [f"## {name}\n\nWords about {name}." for name in ("Causes", "Signs", "Care", "Care")]
    + ["### When to *see* a doctor\n\nSoon."]
)
TABLE = "| Salt | Charge |\n|---|---|\n| Sodium | positive |\n| Chloride | negative |\n"


def _page(client: Client, article: Article) -> BeautifulSoup:
    return BeautifulSoup(client.get(article.get_absolute_url()).content, "html.parser")


def test_four_sections_or_more_get_contents_linked_to_each_heading(
    make_article: Callable[..., Article], client: Client
) -> None:
    page = _page(client, make_article(body=LONG))
    contents = page.find("nav", attrs={"aria-labelledby": "contents-heading"})
    assert contents is not None and contents.find("h2").get_text() == "Contents"
    links = [(a.get_text(), a["href"]) for a in contents.find_all("a")]
    assert links == [
        ("Causes", "#causes"),
        ("Signs", "#signs"),
        ("Care", "#care"),
        ("Care", "#care-2"),  # two sections of one name, two addresses
        ("When to see a doctor", "#when-to-see-a-doctor"),
    ]
    body = page.find(class_="article-body")
    for _words, href in links:
        assert body.find(id=href[1:]) is not None and body.find(id=href[1:]).name in ("h2", "h3")
    # The reading time stands in the article's details.
    assert page.find(class_="reading-time").get_text() == "1 min read"


def test_three_sections_get_no_contents(
    make_article: Callable[..., Article], client: Client
) -> None:
    short = "\n\n".join(f"## Part {n}\n\nWords." for n in range(3))
    page = _page(client, make_article(body=short))
    assert page.find("nav", attrs={"aria-labelledby": "contents-heading"}) is None
    assert page.find("h2", id="part-1") is not None  # ids all the same, for links from elsewhere


def test_a_heading_never_takes_an_id_the_page_uses() -> None:
    html = markup.render_article("## Main\n\n## Article title\n\n## Contents heading")
    assert [anchor for _level, anchor, _words in markup.contents(html)] == [
        "main-2",
        "article-title-2",
        "contents-heading-2",
    ]


def test_a_table_scrolls_in_its_own_named_box_with_its_header_row(
    make_article: Callable[..., Article], client: Client
) -> None:
    page = _page(client, make_article(body="Salts:\n\n" + TABLE))
    box = page.find(class_="table-scroll")
    assert box is not None and box.find("table") is not None
    assert box["tabindex"] == "0" and box["role"] == "region"
    assert box["aria-label"] == "Table: Salt, Charge"
    assert [th.get_text() for th in box.select("thead th")] == ["Salt", "Charge"]


def test_an_author_cannot_forge_the_box_or_heading_ids() -> None:
    forged = '<div class="table-scroll" tabindex="0" onfocus="x()">a</div><h2 id="main">Hi</h2>'
    html = markup.render_article(forged)
    assert "tabindex" not in html and "onfocus" not in html and 'class="table-scroll"' not in html
    assert '<h2 id="hi">Hi</h2>' in html
