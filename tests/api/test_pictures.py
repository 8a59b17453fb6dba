"""Pictures uploaded through the API with their alt text, checked as the editor page's upload
is (the same service), and made an article's lead picture where the editor page lets the
caller save the article; refused ones store nothing."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile

from knowhow.api import schemas
from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.images.models import Image
from tests import people
from tests.api.conftest import TokenClient
from tests.images import pictures

PICTURES = "/api/v1/newsroom/pictures/"


def _file(data: bytes | None = None, name: str = "knee.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pictures.png() if data is None else data)


def _staff(make_token: Callable[..., str], user: User) -> TokenClient:
    return TokenClient(make_token(user, ("read", "newsroom")))


def _draft(by: User, topic: Topic) -> Article:
    return workflow.create_article(by=by, title="Why do Knees Click?", topic=topic, body="Text")


def test_a_writer_uploads_a_picture_and_makes_it_the_lead_of_their_draft(
    writer_account: User, topic: Topic, make_token: Callable[..., str]
) -> None:
    draft = _draft(writer_account, topic)
    writer = _staff(make_token, writer_account)
    sent = writer.post(PICTURES, {"file": _file(), "alt": "A knee, bent", "caption": "Bent",
                                  "article": draft.pk, "base": 1})  # fmt: skip
    assert sent.status_code == 201, sent.content
    body = sent.json()
    schemas.PictureUploaded.model_validate(body)
    image = Image.objects.get()
    assert (body["id"], body["alt"], body["width"], body["height"]) == (
        image.pk, "A knee, bent", 500, 300)  # fmt: skip
    assert body["lead_of"]["revision"] == 2
    draft.refresh_from_db()
    assert draft.lead_image == image
    assert draft.latest_revision is not None
    assert draft.latest_revision.content["lead_image"] == image.pk
    # Without an article it is uploaded to the library only.
    alone = writer.post(PICTURES, {"file": _file(pictures.jpeg()), "alt": "A shin"})
    assert alone.status_code == 201
    assert alone.json()["lead_of"] is None
    assert Image.objects.count() == 2


def test_a_picture_without_alt_text_is_refused_with_the_editors_words(
    writer_account: User, make_token: Callable[..., str]
) -> None:
    refused = _staff(make_token, writer_account).post(PICTURES, {"file": _file(), "alt": "  "})
    assert refused.status_code == 400
    said = refused.json()
    assert said["code"] == "no_alt"
    # The words the editor page gives beside its alt text box.
    assert said["errors"] == {
        "alt": ["Describe the picture in its alt text: readers who cannot see it need that."]
    }
    assert not Image.objects.exists()


def test_files_that_are_not_pictures_the_site_takes_are_refused(
    writer_account: User, make_token: Callable[..., str], settings: Any
) -> None:
    writer = _staff(make_token, writer_account)
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    bmp = io.BytesIO()
    pictures.Pillow.new("RGB", (10, 10)).save(bmp, "BMP")
    for data, name, words in (
        (svg, "x.png", "SVG or web page"),
        (b"not a picture", "notes.png", "not a picture this site can show"),
        (bmp.getvalue(), "x.bmp", "is a BMP file"),
        (pictures.png_claiming(100_000, 100_000), "bomb.png", "more pixels"),
    ):
        refused = writer.post(PICTURES, {"file": _file(data, name), "alt": "Something"})
        assert refused.status_code == 400, name
        assert list(refused.json()["errors"]) == ["file"]
        assert words in refused.json()["message"], refused.json()["message"]
    settings.IMAGE_MAX_BYTES = 2_000
    too_big = writer.post(PICTURES, {"file": _file(pictures.jpeg()), "alt": "Big"})
    assert too_big.status_code == 400
    assert "pictures may be at most" in too_big.json()["message"]
    assert not Image.objects.exists()


def test_uploads_past_the_hourly_allowance_are_refused(
    writer_account: User, make_token: Callable[..., str], settings: Any
) -> None:
    settings.IMAGE_UPLOADS_PER_HOUR = 1
    writer = _staff(make_token, writer_account)
    assert writer.post(PICTURES, {"file": _file(), "alt": "One"}).status_code == 201
    refused = writer.post(PICTURES, {"file": _file(), "alt": "Two"})
    assert (refused.status_code, refused.json()["code"]) == (429, "too_many")
    assert Image.objects.count() == 1


def test_a_lead_picture_is_refused_where_the_editor_page_would_refuse_the_save(
    writer_account: User, editor_account: User, topic: Topic, make_token: Callable[..., str]
) -> None:
    theirs = _draft(editor_account, topic)
    writer = _staff(make_token, writer_account)
    # A writer does not see another's draft in the newsroom: it is not there for them.
    hidden = writer.post(PICTURES, {"file": _file(), "alt": "A knee", "article": theirs.pk,
                                    "base": 1})  # fmt: skip
    assert hidden.status_code == 404
    mine = _draft(writer_account, topic)
    workflow.save_revision(article=mine, by=writer_account, content={"body": "New"}, base=1)
    stale = writer.post(PICTURES, {"file": _file(), "alt": "A knee", "article": mine.pk,
                                   "base": 1})  # fmt: skip
    assert (stale.status_code, stale.json()["code"]) == (409, "stale_edit")
    no_base = writer.post(PICTURES, {"file": _file(), "alt": "A knee", "article": mine.pk})
    assert (no_base.status_code, list(no_base.json()["errors"])) == (400, ["base"])
    # Nothing is stored for a refused save: no half of it.
    assert not Image.objects.exists()
    mine.refresh_from_db()
    assert mine.lead_image is None


def test_outsiders_and_other_scopes_and_json_are_refused(
    reader: User, writer_account: User, make_token: Callable[..., str]
) -> None:
    assert TokenClient().post(PICTURES, {"file": _file(), "alt": "A"}).status_code == 401
    # A reader's token cannot hold the newsroom scope, nor a staff token without it upload.
    readers = TokenClient(make_token(reader, ("read", "post")))
    assert readers.post(PICTURES, {"file": _file(), "alt": "A"}).json()["code"] == "missing_scope"
    without = TokenClient(make_token(writer_account, ("read", "post")))
    assert without.post(PICTURES, {"file": _file(), "alt": "A"}).status_code == 403
    as_json = _staff(make_token, writer_account).send("POST", PICTURES, {"alt": "A"})
    assert (as_json.status_code, as_json.json()["code"]) == (415, "multipart_only")
    # The site's session may upload only with its CSRF token, as for every write.
    session = people.signed_in(writer_account)
    session.handler.enforce_csrf_checks = True
    forged = session.post(PICTURES, {"file": _file(), "alt": "A"})
    assert (forged.status_code, forged.json()["code"]) == (403, "csrf_failed")
    assert not Image.objects.exists()


def test_the_upload_address_takes_a_picture_on_top_of_the_requests_cap(
    writer_account: User, make_token: Callable[..., str], settings: Any
) -> None:
    settings.REQUEST_MAX_BYTES = 64 * 1024
    noisy = io.BytesIO()
    pictures.Pillow.effect_noise((400, 400), 80).convert("RGB").save(noisy, "PNG")
    assert len(noisy.getvalue()) > settings.REQUEST_MAX_BYTES
    writer = _staff(make_token, writer_account)
    taken = writer.post(PICTURES, {"file": _file(noisy.getvalue()), "alt": "Noise"})
    assert taken.status_code == 201, taken.content[:300]
    # Elsewhere in the API the cap holds.
    refused = writer.post("/api/v1/newsroom/articles/", {"title": "x" * 70_000, "topic": "h"},
                          content_type="application/json")  # fmt: skip
    assert refused.status_code == 413
