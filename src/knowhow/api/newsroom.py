"""The newsroom through the API (the `newsroom` scope, held only by accounts that write or
edit): start a draft, save a revision of it, and take the workflow's steps (submit, approve,
publish, schedule, ...) through articles.services, which decides who may do what and when,
as on the editor page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse, JsonResponse

from knowhow.accounts.api_tokens import Scope
from knowhow.api import schemas, shapes
from knowhow.api.callers import require
from knowhow.api.errors import ApiError
from knowhow.api.reads import ERRORS, router
from knowhow.articles import roles, steps
from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Topic

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
