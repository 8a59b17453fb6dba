"""The lead picture where readers meet an article: its page, lists, the card, print, and
what the page tells other sites; loaded so the page does not jump."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from knowhow.articles import services as workflow
from knowhow.articles.models import Article
from knowhow.images.models import Image
from knowhow.images.templatetags.pictures import CARD_SIZES
from knowhow.widgets.options import Options

pytestmark = pytest.mark.django_db


class _Images(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[dict[str, str | None]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "img":
            self.found.append(dict(attrs))


def images_in(html: bytes | str) -> list[dict[str, str | None]]:
    parser = _Images()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    return parser.found


def _pictures_of(image: Image, html: bytes | str) -> list[dict[str, str | None]]:
    names = {str(r["name"]) for r in image.renditions}
    return [img for img in images_in(html) if any(name in (img.get("src") or "") for name in names)]


@pytest.fixture
def illustrated(make_article: Callable[..., Article], photo: Image) -> Article:
    return make_article(lead_image=photo)


def test_the_article_page_shows_its_lead_picture_at_the_top_eagerly(
    illustrated: Article, photo: Image, client: Client
) -> None:
    html = client.get(illustrated.get_absolute_url()).content.decode()
    [img] = _pictures_of(photo, html)
    assert img["alt"] == "A runner stretching her calf against a wall"
    assert (img["width"], img["height"]) == ("1600", "1000")
    assert img["loading"] == "eager" and img["decoding"] == "async"
    assert img["src"] is not None and "-960w.jpg" in img["src"]
    srcset = img["srcset"] or ""
    assert [entry.split()[-1] for entry in srcset.split(", ")] == [
        "320w",
        "640w",
        "960w",
        "1280w",
        "1600w",
    ]
    assert all(entry.startswith("/media/images/") for entry in srcset.split(", "))
    assert img["sizes"]
    # Above the body's first words, with its caption and credit.
    assert html.index(srcset) < html.index('<div class="article-body">')
    assert (
        "<figcaption>" in html and "Stretch before you run." in html and "Photo: Ana Lind" in html
    )


def test_an_article_without_a_picture_has_no_figure(
    make_article: Callable[..., Article], client: Client
) -> None:
    html = client.get(make_article().get_absolute_url()).content.decode()
    assert "<figure" not in html and "/media/" not in html


def test_set_through_the_newsroom_it_shows_once_published(
    writer_account: User, editor_account: User, topic: object, photo: Image, client: Client
) -> None:
    draft = workflow.create_article(
        by=writer_account, title="Why do Calves Cramp?", topic=topic, body="Often at night."
    )
    assert draft.latest_revision is not None
    workflow.save_revision(
        article=draft,
        by=writer_account,
        content={"lead_image": photo.pk},
        base=draft.latest_revision.number,
    )
    workflow.publish(article=draft, by=editor_account)
    html = client.get(draft.get_absolute_url()).content
    assert len(_pictures_of(photo, html)) == 1


def test_the_list_of_all_articles_shows_a_small_lazy_thumbnail(
    illustrated: Article, photo: Image, client: Client
) -> None:
    [img] = _pictures_of(photo, client.get("/articles/").content)
    assert img["class"] == "thumb" and img["loading"] == "lazy"
    assert (img["width"], img["height"]) == ("1600", "1000")
    assert img["sizes"] == "6rem" and "320w" in (img["srcset"] or "")
    assert img["alt"] == ""  # beside the title's link, which already says it all


@pytest.mark.parametrize("path", ["/", "/topics/health/", "/people/wendy-writer/"])
def test_cards_show_the_picture_first_sized_for_their_column(
    path: str, illustrated: Article, photo: Image, client: Client
) -> None:
    [img] = _pictures_of(photo, client.get(path).content)
    assert img["class"] == "card-picture" and img["loading"] == "lazy"
    assert (img["width"], img["height"]) == ("1600", "1000")  # room kept: no shift
    assert img["sizes"] == CARD_SIZES
    assert {"320w", "640w", "960w"} <= {part.split()[-1] for part in img["srcset"].split(",")}  # type: ignore[union-attr]
    assert img["alt"] == ""  # beside the title's link, which already says it all


def test_the_featured_article_shows_its_picture_first_and_eagerly(
    illustrated: Article, photo: Image, client: Client, editor_account: User
) -> None:
    workflow.feature_article(article=illustrated, by=editor_account)
    [img] = _pictures_of(photo, client.get("/").content)
    assert img["class"] == "feature-picture" and img["loading"] == "eager"
    assert img["fetchpriority"] == "high" and img["alt"] == photo.alt


def test_search_results_show_the_thumbnail(
    illustrated: Article, photo: Image, client: Client
) -> None:
    [img] = _pictures_of(photo, client.get("/search/", {"q": "cramp"}).content)
    assert img["class"] == "thumb"


def test_the_print_view_shows_the_picture(
    illustrated: Article, photo: Image, client: Client
) -> None:
    html = client.get(f"{illustrated.get_absolute_url()}print/").content
    [img] = _pictures_of(photo, html)
    assert img["loading"] == "eager"


def test_the_article_card_widget_shows_it_from_the_sites_own_origin(
    illustrated: Article, photo: Image, client: Client
) -> None:
    card = Options(kind="article", article=illustrated.slug)
    response = client.get(f"/widgets/article/?{card.query()}")
    assert response.status_code == 200
    [img] = _pictures_of(photo, response.content)
    assert img["class"] == "kw-thumb" and (img["src"] or "").startswith("/media/")
    policy = response["Content-Security-Policy"]
    assert re.search(r"img-src 'self'( data:)?(;|$)", policy)


def test_shared_links_use_the_largest_copy_as_an_absolute_address(
    make_article: Callable[..., Article], client: Client
) -> None:
    from knowhow.images.services import upload_image
    from tests.images import pictures

    big = upload_image(file=pictures.upload(pictures.jpeg(2400, 1500)), alt="Big", by=None)
    article = make_article(lead_image=big)
    html = client.get(article.get_absolute_url()).content.decode()
    largest = next(r for r in big.renditions if r["width"] == 1920)
    url = f"http://testserver/media/{largest['name']}"
    assert f'<meta property="og:image" content="{url}">' in html
    assert '<meta property="og:image:width" content="1920">' in html
    assert '<meta property="og:image:alt" content="Big">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)[1]
    )  # type: ignore[index]
    assert data["image"] == [url]


def test_lists_ask_for_pictures_in_the_same_query_as_the_articles(
    make_article: Callable[..., Article], photo: Image, client: Client
) -> None:
    def queries(path: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        return len(captured)

    for n in range(2):
        make_article(f"What is Cramp Number {n}?", lead_image=photo)
    paths = ("/", "/articles/", "/topics/health/", "/people/wendy-writer/", "/search/?q=cramp")
    few = {path: queries(path) for path in paths}
    for n in range(2, 8):
        make_article(f"What is Cramp Number {n}?", lead_image=photo)
    for path, count in few.items():
        html = client.get(path).content
        assert len(_pictures_of(photo, html)) >= 8, path
        assert queries(path) == count, path
