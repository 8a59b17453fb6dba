"""The editor's preview is the public page: the same body partial and stylesheet, drawn in a
frame where nothing the author typed can run."""

from __future__ import annotations

from html import unescape

import pytest
from django.contrib.auth.models import User

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from tests import people

pytestmark = pytest.mark.django_db


@pytest.fixture
def writer_account() -> User:
    return people.make_staff_writer()


@pytest.fixture
def draft(writer_account: User) -> Article:
    topic = Topic.objects.create(name="Health", slug="health")
    return workflow.create_article(
        by=writer_account, title="What is a Stitch?", topic=topic,
        body="## Why runners get it\n\n| Pace | Risk |\n|---|---|\n| Fast | High |",
    )  # fmt: skip


def _frame_document(html: str) -> str:
    frame = html.split('id="preview-frame"')[1].split(">")[0]
    return unescape(frame.split('srcdoc="')[1].split('"')[0])


def test_the_preview_is_drawn_with_the_public_body_partial_and_stylesheet(
    draft: Article, writer_account: User
) -> None:
    response = people.signed_in(writer_account).get(f"/newsroom/articles/{draft.pk}/edit/")
    used = [t.name for t in response.templates]
    assert "articles/partials/body.html" in used  # the public page's own body partial
    document = _frame_document(response.content.decode())
    assert '<link rel="stylesheet" href="/static/knowhow/site.css">' in document
    assert "newsroom.css" not in document  # the editor's styles stay out of it
    assert '<div class="article-body">' in document
    assert (
        '<h2 id="why-runners-get-it">Why runners get it</h2>' in document
        and "<td>Fast</td>" in document
    )


def test_the_live_preview_answers_with_the_whole_public_page(writer_account: User) -> None:
    response = people.signed_in(writer_account).post(
        "/newsroom/preview/", {"title": "Why?", "body": "## A heading"}
    )
    assert "articles/partials/body.html" in [t.name for t in response.templates]
    html = response.content.decode()
    assert html.lstrip().startswith("<!doctype html>")
    assert '<h2 id="a-heading">A heading</h2>' in html and "/static/knowhow/site.css" in html


def test_the_preview_frame_runs_no_script(draft: Article, writer_account: User) -> None:
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/",
        {"title": "Why?", "topic": draft.topic_id, "base": 1, "do": "preview",
         "body": '<script>alert(1)</script><img src=x onerror="alert(2)">'},
    )  # fmt: skip
    html = response.content.decode()
    frame = html.split('<iframe id="preview-frame"')[1].split(">")[0]
    assert 'sandbox="' in frame and "allow-scripts" not in frame
    document = _frame_document(html)
    assert "<script" not in document and "onerror" not in document


def test_a_library_picture_put_in_the_text_is_a_reference_shown_with_srcset(
    draft: Article, writer_account: User
) -> None:
    from knowhow.images.services import upload_image
    from tests.images import pictures

    picture = upload_image(
        file=pictures.upload(pictures.jpeg(800, 500)), by=None, alt="A calf stretch against a wall"
    )
    client = people.signed_in(writer_account)
    fields = {"title": draft.title, "topic": draft.topic_id, "base": 1, "body": "Stretch."}
    put = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        {**fields, "picture_caption": "Hold it", "do": f"put-{picture.pk}"},
    )
    assert put.status_code == 200
    html = put.content.decode()
    reference = f'![A calf stretch against a wall](picture:{picture.pk} "Hold it")'
    assert f"Stretch.\n\n{reference}" in unescape(html)  # in the text box, not saved yet
    assert f'srcset="{picture.srcset}"' in _frame_document(html)
    draft.refresh_from_db()
    assert draft.revisions.count() == 1

    saved = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        {**fields, "body": f"Stretch.\n\n{reference}", "do": "save"},
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert f'srcset="{picture.srcset}"' in draft.body_html and "Hold it" in draft.body_html
    assert "http" not in draft.body.split("Stretch.")[1]  # a reference, never an address


def test_an_uploaded_picture_can_go_in_the_text_and_needs_its_alt_text(
    draft: Article, writer_account: User
) -> None:
    from tests.images import pictures

    client = people.signed_in(writer_account)
    fields = {
        "title": draft.title,
        "topic": draft.topic_id,
        "base": 1,
        "body": "Stretch.",
        "new_image_place": "text",
        "do": "save",
    }
    refused = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        {**fields, "new_image": pictures.upload(pictures.jpeg(400, 300))},
    )
    assert refused.status_code == 400 and "Describe the picture" in refused.content.decode()
    saved = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        {
            **fields,
            "new_image": pictures.upload(pictures.jpeg(400, 300)),
            "new_image_alt": "A foam roller",
            "picture_caption": "Roll slowly.",
        },
    )
    assert saved.status_code == 302
    draft.refresh_from_db()
    assert draft.lead_image is None and draft.body_picture_ids
    assert 'alt="A foam roller"' in draft.body_html and "Roll slowly." in draft.body_html


def test_a_reference_to_a_picture_not_in_the_library_is_refused_with_the_text_kept(
    draft: Article, writer_account: User
) -> None:
    body = "Stretch.\n\n![gone](picture:987654)"
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/",
        {"title": draft.title, "topic": draft.topic_id, "base": 1, "body": body, "do": "save"},
    )
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "does not hold (picture:987654)" in html and body in html
