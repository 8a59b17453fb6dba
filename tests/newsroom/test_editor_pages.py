"""The editor pages: the desk, new and edit, the preview, the workflow buttons, and who
each refuses."""

from __future__ import annotations

import io
from html import unescape
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image as Pillow

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Topic
from knowhow.images.models import Image
from tests import people
from tests.pages import visible_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def draft(writer_account: User, topic: Topic) -> Article:
    return workflow.create_article(
        by=writer_account, title="What is a Shin Splint?", topic=topic, body="Pain along the shin."
    )


def _fields(article: Article, **changes: Any) -> dict[str, Any]:
    """What the edit form sends when opened now and changed as given."""
    article.refresh_from_db()
    assert article.latest_revision is not None
    content = article.latest_revision.content
    data = {
        "title": content["title"],
        "topic": content["topic"],
        "synopsis": content["synopsis"] or "",
        "body": content["body"],
        "sources": content["sources"] or "",
        "reviewed_by": Person.objects.get(pk=content["reviewed_by"]).name
        if content["reviewed_by"]
        else "",
        "reviewed_on": content["reviewed_on"] or "",
        "lead_image": content["lead_image"] or "",
        "copyright_holder": content["copyright_holder"] or "",
        "note": "",
        "base": article.latest_revision.number,
        "do": "save",
    }
    data.update(changes)
    return data


def _png(name: str = "shin.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Pillow.new("RGB", (40, 30), "teal").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


# The desk ------------------------------------------------------------------------------


def test_the_desk_shows_a_writer_their_articles(draft: Article, writer_account: User) -> None:
    page = people.signed_in(writer_account).get("/newsroom/")
    assert page.status_code == 200
    text = visible_text(page.content)
    assert "Your articles (1)" in text and "What is a Shin Splint?" in text
    assert "Wendy Writer" in text and "Draft Being written" in text
    assert "Waiting for review" not in text  # an editor's list


def test_the_desk_shows_an_editor_the_review_queue(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    workflow.submit_for_review(article=draft, by=writer_account)
    text = visible_text(people.signed_in(editor_account).get("/newsroom/").content)
    queue = text.split("Waiting for review (1)")[1].split("Drafts (0)")[0]
    assert "What is a Shin Splint?" in queue and "In review" in queue
    assert "Scheduled (0)" in text and "Recently published (0)" in text


def test_the_desk_is_paged(writer_account: User, topic: Topic) -> None:
    for n in range(23):
        workflow.create_article(by=writer_account, title=f"Question {n}?", topic=topic)
    client = people.signed_in(writer_account)
    first = visible_text(client.get("/newsroom/").content)
    assert "Page 1 of 2" in first and "Question 22?" in first and "Question 0?" not in first
    second = visible_text(client.get("/newsroom/?mine=2").content)
    assert "Question 0?" in second and "Question 22?" not in second


@pytest.mark.parametrize(
    "path", ["/newsroom/", "/newsroom/articles/new/", "/newsroom/articles/{id}/edit/"]
)
def test_newsroom_pages_send_the_signed_out_to_sign_in(
    path: str, draft: Article, client: Client
) -> None:
    response = client.get(path.format(id=draft.pk))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    "path", ["/newsroom/", "/newsroom/articles/new/", "/newsroom/articles/{id}/edit/"]
)
def test_newsroom_pages_refuse_outsiders_and_moderators(
    path: str, draft: Article, outsider: User, moderator: User
) -> None:
    for user in (outsider, moderator):
        response = people.signed_in(user).get(path.format(id=draft.pk))
        assert response.status_code == 403


def test_a_writer_cannot_open_another_writers_article(draft: Article) -> None:
    other = people.make_staff_writer("walt", "Walt Other")
    response = people.signed_in(other).get(f"/newsroom/articles/{draft.pk}/edit/")
    assert response.status_code == 403
    response = people.signed_in(other).post(
        f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, body="Taken over.")
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.body == "Pain along the shin."


def test_staff_see_the_newsroom_in_the_site_menu(writer_account: User, outsider: User) -> None:
    assert 'href="/newsroom/"' in people.signed_in(writer_account).get("/").content.decode()
    assert 'href="/newsroom/"' not in people.signed_in(outsider).get("/").content.decode()


# New and edit --------------------------------------------------------------------------


def test_a_writer_starts_an_article_with_a_new_lead_image(
    writer_account: User, topic: Topic
) -> None:
    client = people.signed_in(writer_account)
    assert "Summary" in visible_text(client.get("/newsroom/articles/new/").content)
    response = client.post(
        "/newsroom/articles/new/",
        {
            "title": "Why do Knees Click?",
            "topic": topic.pk,
            "synopsis": "Mostly gas bubbles.",
            "body": "Bubbles in the joint fluid pop.",
            "sources": "Knee Journal, 2020",
            "new_image": _png(),
            "new_image_alt": "A knee, bent",
            "note": "First go.",
            "do": "save",
        },
    )
    article = Article.objects.get(title="Why do Knees Click?")
    assert response.status_code == 302
    assert response["Location"] == f"/newsroom/articles/{article.pk}/edit/"
    assert article.written_by.name == "Wendy Writer" and article.status == "draft"
    assert article.synopsis == "Mostly gas bubbles."
    assert article.lead_image is not None and article.lead_image.alt == "A knee, bent"
    page = visible_text(client.get(response["Location"]).content)
    assert "Started “Why do Knees Click?” as a draft" in page
    assert "Created by Wendy Writer" in page


def test_a_new_picture_without_alt_text_is_refused_and_the_text_kept(
    writer_account: User, topic: Topic
) -> None:
    response = people.signed_in(writer_account).post(
        "/newsroom/articles/new/",
        {
            "title": "Why do Knees Click?",
            "topic": topic.pk,
            "body": "Kept words.",
            "new_image": _png(),
            "new_image_alt": "",
            "do": "save",
        },  # fmt: skip
    )
    assert response.status_code == 400
    assert "Describe the picture in its alt text" in response.content.decode()
    assert "Kept words." in response.content.decode()
    assert not Article.objects.exists() and not Image.objects.exists()


def test_a_file_that_is_not_a_picture_is_refused(writer_account: User, topic: Topic) -> None:
    fake = SimpleUploadedFile("notes.png", b"not a picture", content_type="image/png")
    response = people.signed_in(writer_account).post(
        "/newsroom/articles/new/",
        {
            "title": "Why?",
            "topic": topic.pk,
            "body": "Kept words.",
            "new_image": fake,
            "new_image_alt": "Something",
            "do": "save",
        },  # fmt: skip
    )
    assert response.status_code == 400
    assert "Kept words." in response.content.decode()
    assert not Article.objects.exists()


def test_a_new_article_without_title_or_topic_is_refused_with_the_text_kept(
    writer_account: User,
) -> None:
    response = people.signed_in(writer_account).post(
        "/newsroom/articles/new/", {"title": "", "body": "A body worth keeping.", "do": "save"}
    )
    assert response.status_code == 400
    text = visible_text(response.content)
    assert "This field is required." in text and "A body worth keeping." in text
    assert not Article.objects.exists()


def test_the_edit_form_opens_at_the_newest_revision(draft: Article, writer_account: User) -> None:
    page = people.signed_in(writer_account).get(f"/newsroom/articles/{draft.pk}/edit/")
    html = page.content.decode()
    assert 'name="base" value="1"' in html
    assert "Pain along the shin.</textarea>" in html
    assert "Draft, not on the site: being written." in visible_text(html)


def test_saving_makes_a_revision_with_its_note_and_a_review(
    draft: Article, writer_account: User, editor: Any
) -> None:
    client = people.signed_in(writer_account)
    response = client.post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _fields(
            draft,
            body="Pain along the inner shin.",
            note="Say where.",
            reviewed_by=editor.name,
            reviewed_on="2024-03-01",
            minor="on",
        ),  # fmt: skip
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.body == "Pain along the inner shin."
    assert draft.review is not None and draft.review.reviewed_by == editor
    revision = draft.revisions.get(number=2)
    assert revision.note == "Say where." and revision.minor
    assert "Saved revision 2." in visible_text(client.get(response["Location"]).content)


def test_a_review_without_its_date_is_refused_and_nothing_saved(
    draft: Article, writer_account: User, editor: Any
) -> None:
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _fields(draft, body="New words kept.", reviewed_by=editor.name),
    )
    assert response.status_code == 400
    assert "needs both the reviewer and the date" in response.content.decode()
    assert "New words kept." in response.content.decode()
    assert draft.revisions.count() == 1


def test_an_edit_refused_by_the_workflow_keeps_the_text(
    draft: Article, writer_account: User
) -> None:
    client = people.signed_in(writer_account)
    form = _fields(draft, body="Typed while the article went to review.")
    workflow.submit_for_review(article=draft, by=writer_account)  # from another tab
    response = client.post(f"/newsroom/articles/{draft.pk}/edit/", form)
    assert response.status_code == 400
    text = visible_text(response.content)
    assert "This article is in review: an editor has it." in text
    assert "Typed while the article went to review." in text
    draft.refresh_from_db()
    assert draft.body == "Pain along the shin." and draft.revisions.count() == 1


def test_a_writer_sees_why_an_article_in_review_cannot_be_edited(
    draft: Article, writer_account: User
) -> None:
    workflow.submit_for_review(article=draft, by=writer_account)
    html = people.signed_in(writer_account).get(f"/newsroom/articles/{draft.pk}/edit/").content
    text = visible_text(html)
    assert "an editor has it" in text and "Pain along the shin." in unescape(html.decode())
    assert "Submit for review" not in text and "Comment" in text


def test_saving_an_unchanged_form_says_so(draft: Article, writer_account: User) -> None:
    client = people.signed_in(writer_account)
    response = client.post(f"/newsroom/articles/{draft.pk}/edit/", _fields(draft))
    assert response.status_code == 302
    page = visible_text(client.get(response["Location"]).content)
    assert "Nothing changed since revision 1: no new revision." in page
    assert draft.revisions.count() == 1


def test_an_unchanged_form_with_a_note_keeps_the_note(draft: Article, writer_account: User) -> None:
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, note="Checked the sources.")
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Nothing changed since the last revision" in html
    assert 'value="Checked the sources."' in html


def test_an_uploaded_picture_is_kept_when_the_save_is_refused(
    draft: Article, writer_account: User
) -> None:
    client = people.signed_in(writer_account)
    form = _fields(draft, new_image=_png(), new_image_alt="A shin, bruised", title="")
    response = client.post(f"/newsroom/articles/{draft.pk}/edit/", form)
    assert response.status_code == 400  # no title: the form's own check, before any upload
    assert not Image.objects.exists()
    form = _fields(draft, new_image=_png(), new_image_alt="A shin, bruised")
    workflow.submit_for_review(article=draft, by=writer_account)
    response = client.post(f"/newsroom/articles/{draft.pk}/edit/", form)
    assert response.status_code == 400
    image = Image.objects.get()
    picked = f'name="lead_image" value="{image.pk}" id="id_lead_image_{image.pk}" checked'
    assert picked in response.content.decode()


# Preview -------------------------------------------------------------------------------


HOSTILE = (
    'Fine words.\n\n<script>alert("x")</script>\n\n<img src="x.png" alt="x" onerror="alert(1)">'
)


def test_the_preview_button_renders_the_article_below_the_text_sanitised(
    draft: Article, writer_account: User
) -> None:
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{draft.pk}/edit/",
        _fields(draft, body=HOSTILE, sources="[A study](https://example.org/study)", do="preview"),
    )
    assert response.status_code == 200
    html = response.content.decode()
    frame = html.split('id="preview-content"')[1].split("</section>")[0]
    preview = unescape(frame.split('srcdoc="')[1].split('"')[0])
    assert "<p>Fine words.</p>" in preview and '<img src="x.png" alt="x">' in preview
    assert "<script>" not in preview and "onerror" not in preview
    assert '<li id="source-1"><a href="https://example.org/study"' in preview
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html  # kept as typed
    draft.refresh_from_db()
    assert draft.revisions.count() == 1  # previewing saves nothing


def test_the_live_preview_endpoint_sanitises(writer_account: User) -> None:
    client = people.signed_in(writer_account, Client(enforce_csrf_checks=True))
    client.get("/newsroom/articles/new/")
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/newsroom/preview/", {"body": HOSTILE, "title": "Hi", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<p>Fine words.</p>" in html and "<script" not in html and "onerror" not in html
    assert Client(enforce_csrf_checks=True).post("/newsroom/preview/", {}).status_code in (302, 403)


def test_the_live_preview_refuses_outsiders(outsider: User, client: Client) -> None:
    assert people.signed_in(outsider).post("/newsroom/preview/", {"body": "x"}).status_code == 403
    assert client.post("/newsroom/preview/", {"body": "x"}).status_code == 302


def test_the_editor_loads_its_script_from_the_site_under_the_csp(
    draft: Article, writer_account: User
) -> None:
    response = people.signed_in(writer_account).get(f"/newsroom/articles/{draft.pk}/edit/")
    html = response.content.decode()
    assert '<script src="/static/newsroom/editor.js" defer></script>' in html
    assert "<script>" not in html and " style=" not in html
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_outsiders_cannot_start_articles(outsider: User, moderator: User, topic: Topic) -> None:
    for user in (outsider, moderator):
        response = people.signed_in(user).post(
            "/newsroom/articles/new/",
            {"title": "Sneaked in?", "topic": topic.pk, "body": "x", "do": "save"},
        )
        assert response.status_code == 403
    response = Client().post(
        "/newsroom/articles/new/", {"title": "Sneaked in?", "topic": topic.pk, "do": "save"}
    )
    assert response.status_code == 302
    assert not Article.objects.exists()


def test_a_writers_desk_leaves_out_other_writers_articles(draft: Article, topic: Topic) -> None:
    other = people.make_staff_writer("walt", "Walt Other")
    workflow.create_article(by=other, title="Walt's own question?", topic=topic)
    text = visible_text(people.signed_in(other).get("/newsroom/").content)
    assert "Walt's own question?" in text and "What is a Shin Splint?" not in text


def test_a_new_article_can_be_previewed_before_its_first_save(
    writer_account: User, topic: Topic
) -> None:
    response = people.signed_in(writer_account).post(
        "/newsroom/articles/new/",
        {"title": "Why?", "topic": topic.pk, "body": "Some *very* new words.", "do": "preview"},
    )
    assert response.status_code == 200
    assert "Some <em>very</em> new words." in unescape(response.content.decode())
    assert not Article.objects.exists()


def test_an_editor_sees_what_changed_since_the_live_revision(
    draft: Article, writer_account: User, editor_account: User
) -> None:
    workflow.publish(article=draft, by=editor_account)
    client = people.signed_in(editor_account)
    page = client.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()
    assert "What changed since the live revision" not in page
    client.post(f"/newsroom/articles/{draft.pk}/edit/", _fields(draft, body="Pain, and more."))
    page = client.get(f"/newsroom/articles/{draft.pk}/edit/").content.decode()
    assert (
        f'href="/newsroom/articles/{draft.pk}/history/compare/?from=1&amp;to=2">'
        "What changed since the live revision</a>"
    ) in page
