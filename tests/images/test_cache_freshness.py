"""Kept pages never show a picture's old words, nor a picture taken off its article."""

from __future__ import annotations

from collections.abc import Callable

from knowhow.articles.models import Article
from knowhow.images.models import Image
from knowhow.images.services import describe_image
from knowhow.widgets.options import Options
from tests.images.conftest import Server

OLD_ALT = "A runner stretching her calf against a wall"


def _kept(server: Server, path: str) -> str:
    server.request(path)
    again = server.request(path)
    assert again.status == 200, path
    assert again.cache == "HIT", path
    return again.text


def _pages(article: Article) -> list[str]:
    card = Options(kind="article", article=article.slug)
    return [
        article.get_absolute_url(),
        f"{article.get_absolute_url()}print/",
        f"/widgets/article/?{card.query()}",
    ]


def test_new_alt_text_and_caption_show_on_every_kept_page_at_once(
    server: Server, other_server: Server, make_article: Callable[..., Article], photo: Image
) -> None:
    article = make_article(lead_image=photo)
    # The page and its print view say the alt text (the card's thumbnail is decorative).
    for path in _pages(article)[:2]:
        assert OLD_ALT in _kept(server, path), path
        _kept(other_server, path)
    lists = ["/", "/articles/", "/topics/health/", "/people/wendy-writer/", "/search/?q=cramp"]
    for path in lists:
        _kept(server, path)

    describe_image(image=photo, alt="A runner stretching", caption="Hold for thirty seconds.")

    for answering in (server, other_server):
        page = answering.request(article.get_absolute_url()).text
        assert OLD_ALT not in page
        assert 'alt="A runner stretching"' in page and "Hold for thirty seconds." in page
        assert "Stretch before you run." not in page
    assert OLD_ALT not in server.request(_pages(article)[1]).text
    for path in lists:
        assert server.request(path).cache != "HIT", path


def test_a_picture_taken_off_or_deleted_leaves_every_kept_page(
    server: Server, make_article: Callable[..., Article], photo: Image
) -> None:
    first = make_article(lead_image=photo)
    second = make_article("Why do Feet Cramp?", lead_image=photo)
    paths = [*_pages(first), *_pages(second), "/articles/"]
    for path in paths:
        assert photo.srcset in _kept(server, path), path

    first.lead_image = None
    first.save()
    for path in _pages(first):
        assert photo.srcset not in server.request(path).text, path
    assert photo.srcset in server.request(second.get_absolute_url()).text

    srcset = photo.srcset
    photo.delete()
    for path in paths:
        assert srcset not in server.request(path).text, path


def test_media_is_not_kept_as_a_page(server: Server, photo: Image) -> None:
    path = f"/media/{photo.renditions[0]['name']}"
    first, again = server.request(path), server.request(path)
    assert first.status == again.status == 200
    assert again.cache == "" and again.body[:2] == b"\xff\xd8"  # a JPEG, as stored
