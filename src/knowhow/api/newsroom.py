"""The newsroom through the API (the `newsroom` scope, held only by accounts that write or
edit): start a draft, save a revision of it, and take the workflow's steps (submit, approve,
publish, schedule, ...) through articles.services, which decides who may do what and when,
as on the editor page; and upload a picture with its alt text (knowhow.images.services, the
editor's own upload), made an article's lead picture where the editor page would let the
caller save it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import File, Form, UploadedFile

from knowhow.accounts.api_tokens import Scope
from knowhow.api import schemas, shapes
from knowhow.api.callers import require, upload_gate
from knowhow.api.errors import ApiError
from knowhow.api.reads import ERRORS, router
from knowhow.articles import roles, steps
from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic
from knowhow.images.models import Image
from knowhow.images.services import ImageRejected, upload_image
from knowhow.links import absolute_url

NEWSROOM_ERRORS = {**ERRORS, 409: schemas.Error, 415: schemas.Error}
# How a refused step is answered: not this person's (403), not now (409), a note missing (400).
STEP_STATUS = {steps.FORBIDDEN: 403, steps.NOT_NOW: 409, steps.NOTE_MISSING: 400}


def _staff(request: HttpRequest) -> User:
    caller = require(request, Scope.NEWSROOM.value, account=True)
    assert caller.account is not None  # account=True
    return caller.account


def _refused(refusal: workflow.NotAllowed, field: str = "") -> ApiError:
    status = STEP_STATUS.get(refusal.code, 400)
    errors = {field: [str(refusal)]} if field and status == 400 else {}
    return ApiError(status, refusal.code or "refused", str(refusal), errors)


def _draft(request: HttpRequest, article: Article) -> dict[str, Any]:
    latest = article.latest_revision
    return {
        "id": article.pk,
        "slug": article.slug,
        "title": article.title if latest is None else str(latest.content.get("title", "")),
        "body": article.body if latest is None else str(latest.content.get("body", "")),
        "topic": article.topic.slug,
        "status": article.status,
        "stage": article.stage,
        "revision": latest.number if latest is not None else None,
        "published_at": article.published_at,
        "api_url": shapes.api_url(request, "newsroom-article", article.pk),
    }


def _viewable(user: User, article_id: int) -> Article:
    article = (
        Article.objects.select_related("topic", "latest_revision", "written_by")
        .filter(pk=article_id)
        .first()
    )
    # An article this account may not see in the newsroom is not there, for it.
    if article is None or not roles.may_view(user, article):
        raise ApiError(404, "not_found", "The newsroom has no such article for you.")
    return article


@router.post(
    "/newsroom/articles/",
    response={201: schemas.Draft, **NEWSROOM_ERRORS},
    tags=["newsroom"],
)
def start(request: HttpRequest, payload: schemas.NewDraft) -> HttpResponse:
    """Start a draft, written by the token's account."""
    user = _staff(request)
    topic = Topic.objects.filter(slug=payload.topic).first()
    if topic is None:
        message = "No topic has this address."
        raise ApiError(400, "invalid", message, {"topic": [message]})
    try:
        article = workflow.create_article(
            by=user, title=payload.title, topic=topic, body=payload.body
        )
    except workflow.NotAllowed as refusal:
        raise _refused(refusal, "title") from None
    return JsonResponse(_draft(request, _viewable(user, article.pk)), status=201)


@router.get(
    "/newsroom/articles/{article_id}/",
    response={200: schemas.Draft, **NEWSROOM_ERRORS},
    tags=["newsroom"],
    url_name="newsroom-article",
)
def draft(request: HttpRequest, article_id: int) -> HttpResponse:
    """An article as the newsroom sees it: its newest revision, stage and status."""
    user = _staff(request)
    return JsonResponse(_draft(request, _viewable(user, article_id)))


@router.patch(
    "/newsroom/articles/{article_id}/",
    response={200: schemas.Draft, **NEWSROOM_ERRORS},
    tags=["newsroom"],
)
def save(request: HttpRequest, article_id: int, payload: schemas.DraftEdit) -> HttpResponse:
    """Save a new revision: `base` is the revision the change was made from; a save since
    is refused with 409, so no one's words are overwritten."""
    user = _staff(request)
    article = _viewable(user, article_id)
    content = {
        name: value
        for name, value in (
            ("title", payload.title),
            ("body", payload.body),
            ("synopsis", payload.synopsis),
        )  # fmt: skip
        if value is not None
    }
    try:
        workflow.save_revision(
            article=article, by=user, content=content, base=payload.base, note=payload.note
        )
    except workflow.StaleEdit:
        raise ApiError(
            409, "stale_edit", "The article was saved since this revision: fetch it again."
        ) from None
    except workflow.NotAllowed as refusal:
        raise _refused(refusal) from None
    return JsonResponse(_draft(request, _viewable(user, article_id)))


@router.post(
    "/newsroom/articles/{article_id}/steps/",
    response={200: schemas.Draft, **NEWSROOM_ERRORS},
    tags=["newsroom"],
)
def step(request: HttpRequest, article_id: int, payload: schemas.Step) -> HttpResponse:
    """Take a workflow step: submit, comment, request_changes, approve, publish, schedule
    (with `at`), unpublish. `revision` is the revision the caller looked at: a save since
    refuses an approval or publication."""
    user = _staff(request)
    article = _viewable(user, article_id)
    at = payload.at
    if at is not None and at.tzinfo is None:
        raise ApiError(400, "invalid", "Give the time with its offset.", {"at": ["Give the "
                       "time with its offset, such as 2027-01-31T09:00:00+00:00."]})  # fmt: skip
    try:
        workflow.take_step(
            action=payload.action,
            article=article,
            by=user,
            note=payload.note,
            revision=payload.revision,
            at=at if isinstance(at, dt.datetime) else None,
        )
    except workflow.NotAllowed as refusal:
        raise _refused(refusal, "note" if refusal.code == steps.NOTE_MISSING else "") from None
    return JsonResponse(_draft(request, _viewable(user, article_id)))


# Addresses whose body is a file (knowhow.api.v1 lets their bodies be a picture larger).
UPLOADS = ("/newsroom/pictures/",)
# Which field a refused picture is about, by the refusal's code; 429 past the allowance.
PICTURE_FIELDS = {"no_alt": "alt", "too_many": "file", "refused": "file"}
UPLOAD_ERRORS = {**NEWSROOM_ERRORS, 413: schemas.Error}


def _picture(request: HttpRequest, image: Image, lead_of: Article | None) -> dict[str, Any]:
    return {
        "id": image.pk,
        "alt": image.alt,
        "caption": image.caption,
        "credit": image.credit,
        "width": image.width,
        "height": image.height,
        "url": absolute_url(request, image.file.url),
        "lead_of": _draft(request, lead_of) if lead_of is not None else None,
    }


@router.post(
    UPLOADS[0],
    response={201: schemas.PictureUploaded, **UPLOAD_ERRORS},
    tags=["newsroom"],
    auth=upload_gate,
)
def upload_picture(
    request: HttpRequest,
    file: File[UploadedFile],
    alt: Form[str] = "",
    caption: Form[str] = "",
    credit: Form[str] = "",
    article: Form[int | None] = None,
    base: Form[int | None] = None,
    note: Form[str] = "",
) -> HttpResponse:
    """Upload a picture (multipart/form-data: `file`, and `alt`, required), checked as the
    editor's upload is: its type, size and pixels, the account's uploads per hour. With
    `article` (and `base`, the revision the caller looked at) it becomes that article's lead
    picture in a new revision, as "As the lead image" does on the editor page: only where
    the caller may edit the article, and refused with 409 when it was saved since. A
    refused picture or revision stores nothing."""
    user = _staff(request)
    target = _viewable(user, article) if article is not None else None
    if target is not None and base is None:
        message = "Give the revision you looked at (base) to make the picture its lead."
        raise ApiError(400, "invalid", message, {"base": [message]})
    try:
        with transaction.atomic():
            image = upload_image(
                file=file,
                alt=alt,
                caption=caption,
                credit=credit,
                by=user,
                copies_now=False,  # the worker makes the copies, as for the editor page
            )
            if target is not None:
                assert base is not None
                workflow.save_revision(
                    article=target,
                    by=user,
                    content={"lead_image": image.pk},
                    base=base,
                    note=note,
                )
    except ImageRejected as refused:
        field = PICTURE_FIELDS.get(refused.code, "file")
        status = 429 if refused.code == "too_many" else 400
        errors = {field: [str(refused)]} if status == 400 else {}
        raise ApiError(status, refused.code, str(refused), errors) from None
    except workflow.StaleEdit:
        raise ApiError(
            409, "stale_edit", "The article was saved since this revision: fetch it again."
        ) from None
    except workflow.NotAllowed as refusal:
        raise _refused(refusal) from None
    lead_of = _viewable(user, target.pk) if target is not None else None
    return JsonResponse(_picture(request, image, lead_of), status=201, encoder=shapes.JSON_ENCODER)
