"""A library picture inside an article body, by reference (`![alt](picture:42 "caption")`):
drawn like the lead image, from the library's words, never from what the body says about it."""

from __future__ import annotations

import re
from collections.abc import Callable

from knowhow import markup
from knowhow.articles.models import Article
from knowhow.images.models import Image
from knowhow.images.services import describe_image
from tests.images.conftest import Server

OLD_ALT = "A runner stretching her calf against a wall"


def test_a_body_picture_is_drawn_like_the_lead_image(
    make_article: Callable[..., Article], photo: Image
) -> None:
    body = f'Warm up first.\n\n![calf](picture:{photo.pk} "Hold for thirty seconds.")\n\nThen run.'
    article = make_article(body=body)
    html = article.body_html
    assert f'srcset="{photo.srcset}"' in html and 'sizes="' in html
    assert f'width="{photo.width}" height="{photo.height}"' in html
    assert f'alt="{OLD_ALT}"' in html  # the library's alt text, not the body's "calf"
    assert '<figure class="picture body-picture">' in html
    assert '<span class="caption">Hold for thirty seconds.</span>' in html
    assert "<p><figure" not in html  # a figure stands between paragraphs
    assert "picture:" not in html


def test_without_a_caption_the_library_caption_shows(
    make_article: Callable[..., Article], photo: Image
) -> None:
    article = make_article(body=f"![calf](picture:{photo.pk})")
    assert "Stretch before you run." in article.body_html


def test_an_unknown_picture_is_left_out_not_shown_broken(
    make_article: Callable[..., Article], photo: Image
) -> None:
    article = make_article(body=f"Before.\n\n![gone](picture:{photo.pk + 999})\n\nAfter.")
    assert "<img" not in article.body_html and "picture:" not in article.body_html
    assert "<p>Before.</p>" in article.body_html and "<p>After.</p>" in article.body_html


def test_script_through_a_picture_reference_never_runs(
    make_article: Callable[..., Article], photo: Image
) -> None:
    body = (
        f'![x](picture:{photo.pk} "<script>alert(1)</script>\\" onload=\\"alert(2)")\n\n'
        f'<img src="picture:{photo.pk}" onerror="alert(3)">\n\n'
        f'![x](picture:{photo.pk}" onerror="alert(4))\n\n'
        "kh-picture-0000000000000000-0."  # a guessed marker is only text
    )
    html = make_article(body=body).body_html
    assert "<script" not in html
    assert not re.search(r"<[^>]*\son\w+=", html)  # no handler in any tag, only as words
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html  # the caption shown as words
    assert html.count("<figure") == 1


def test_the_editor_inserts_a_reference_that_round_trips(photo: Image) -> None:
    reference = markup.picture_reference(photo.pk, "A [calf]", 'The "long" stretch')
    assert markup.picture_ids(f"Text\n\n{reference}") == [photo.pk]
    drawn = markup.render_article(reference, pictures=lambda named: [f"<i>{named}</i>"])
    assert "The &quot;long&quot; stretch" in drawn or 'The "long" stretch' in drawn


def test_new_alt_text_of_a_body_picture_shows_on_kept_pages_at_once(
    server: Server, other_server: Server, make_article: Callable[..., Article], photo: Image
) -> None:
    article = make_article(body=f"Stretch.\n\n![calf](picture:{photo.pk})")
    path = article.get_absolute_url()
    for answering in (server, other_server):
        answering.request(path)
        again = answering.request(path)
        assert again.cache == "HIT" and OLD_ALT in again.text

    describe_image(image=photo, alt="A runner stretching", caption="Hold it.")

    for answering in (server, other_server):
        page = answering.request(path).text
        assert OLD_ALT not in page and 'alt="A runner stretching"' in page and "Hold it." in page
    assert 'alt="A runner stretching"' in Article.objects.get(pk=article.pk).body_html

    srcset = photo.srcset
    photo.delete()
    assert srcset not in server.request(path).text
