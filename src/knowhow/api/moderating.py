"""The moderators' work through the API (the `moderate` scope, held only by accounts that
may moderate): the held and reported posts, and decisions on them, through the same
services and the same table of which decision fits which post (moderation.decisions) as
the queue's buttons; bans of accounts, and the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone

from knowhow.accounts.api_tokens import Scope
from knowhow.antiabuse.models import Ban
from knowhow.api import paging, schemas, shapes
from knowhow.api.callers import require
from knowhow.api.errors import ApiError, from_validation
from knowhow.api.reads import ERRORS, published_or_404, router
from knowhow.discussion.models import Post
from knowhow.moderation import decisions, selectors, services
from knowhow.moderation.models import ModerationAction
from knowhow.moderation.services import AlreadyDecided

DECISIONS: dict[str, Callable[..., Post]] = {
    decisions.APPROVE: services.approve,
    decisions.REJECT: services.reject,
    decisions.SPAM: services.mark_spam,
    decisions.REMOVE: services.remove_post,
    decisions.DISMISS: services.dismiss_flags,
}
MODERATION_ERRORS = {**ERRORS, 409: schemas.Error, 415: schemas.Error}


def _moderator(request: HttpRequest) -> User:
    caller = require(request, Scope.MODERATE.value, account=True)
    assert caller.account is not None  # account=True
    return caller.account


def _moderated(request: HttpRequest, post: Post) -> dict[str, Any]:
    return {
        "article": post.article.slug,
        "number": post.number,
        "url": shapes.api_url(request, "article-post", post.article.slug, post.number),
        "status": post.status,
        "shadow": post.shadow,
        "author": post.author.username if post.author is not None else None,
        "body": post.body,
        "body_html": post.body_html,
        "held_because": post.held_because,
        "created_at": post.created_at,
        "reports": [
            {"reason": flag.reason, "note": flag.note, "created_at": flag.created_at}
            for flag in getattr(post, "open_flags", [])
        ],
    }


@router.get(
    "/moderation/held/",
    response={200: schemas.ModeratedList, **ERRORS},
    tags=["moderate"],
    url_name="moderation-held",
)
def held(request: HttpRequest) -> HttpResponse:
    """Posts awaiting a moderator, the longest waiting first."""
    _moderator(request)
    at = paging.window(request, "held")
    rows = selectors.moderated_posts().filter(status=Post.Status.HELD)
    page = paging.by_key(rows, ("created_at", "pk"), at)
    body = {
        "items": [_moderated(request, post) for post in page.items],
        "next": paging.next_link(request, at, page),
    }
    return JsonResponse(body)


@router.get(
    "/moderation/reported/",
    response={200: schemas.ModeratedList, **ERRORS},
    tags=["moderate"],
    url_name="moderation-reported",
)
def reported(request: HttpRequest) -> HttpResponse:
    """Published posts with open reports, the longest reported first."""
    _moderator(request)
    at = paging.window(request, "reported")
    number = int(at.after[0]) if at.after and isinstance(at.after[0], int) else 1
    found = selectors.reported_posts(number)
    # Past the last page the paginator answers the last one again: nothing is left there.
    shown = list(found.object_list) if found.number == number else []
    page = paging.Page(shown, [number + 1] if shown and found.has_next() else None)
    body = {
        "items": [_moderated(request, post) for post in page.items],
        "next": paging.next_link(request, at, page),
    }
    return JsonResponse(body)


@router.post(
    "/moderation/posts/{slug}/{number}/decision/",
    response={200: schemas.Moderated, **MODERATION_ERRORS},
    tags=["moderate"],
)
def decide(request: HttpRequest, slug: str, number: int, payload: schemas.Decision) -> HttpResponse:
    """Approve, reject, mark as spam, remove, or dismiss the reports of a post; refused
    with 409 when the post is no longer in a state the decision is for."""
    moderator = _moderator(request)
    action = DECISIONS.get(payload.decision)
    if action is None:
        message = f"A decision is one of: {', '.join(DECISIONS)}."
        raise ApiError(400, "invalid", message, {"decision": [message]})
    article = published_or_404(slug)
    post = (
        Post.objects.select_related("article", "author").filter(article=article, number=number)
    ).first()
    if post is None:
        raise ApiError(404, "not_found", "The discussion has no such post.")
    try:
        action(post=post, moderator=moderator, note=payload.note.strip())
    except AlreadyDecided as error:
        raise ApiError(409, "already_decided", error.messages[0]) from None
    except ValidationError as error:
        raise from_validation(error, "decision") from None
    return JsonResponse(_moderated(request, post), encoder=shapes.JSON_ENCODER)


def _entry(entry: ModerationAction) -> dict[str, Any]:
    post = entry.post
    ban = entry.ban
    return {
        "id": entry.pk,
        "action": entry.action,
        "moderator": entry.actor.username if entry.actor is not None else None,
        "created_at": entry.created_at,
        "note": entry.note,
        "post": {"article": post.article.slug, "number": post.number} if post else None,
        "ban": {
            "kind": ban.kind,
            "reader": ban.user.username if ban.user is not None else None,
            "expires_at": ban.expires_at,
        }
        if ban
        else None,
    }


@router.get(
    "/moderation/log/",
    response={200: schemas.LogList, **ERRORS},
    tags=["moderate"],
    url_name="moderation-log",
)
def log(request: HttpRequest) -> HttpResponse:
    """The moderators' log, newest first."""
    _moderator(request)
    at = paging.window(request, "log")
    number = int(at.after[0]) if at.after and isinstance(at.after[0], int) else 1
    found = selectors.log_entries(number)
    shown = list(found.object_list) if found.number == number else []
    page = paging.Page(shown, [number + 1] if shown and found.has_next() else None)
    body = {
        "items": [_entry(entry) for entry in page.items],
        "next": paging.next_link(request, at, page),
    }
    return JsonResponse(body)


@router.post(
    "/moderation/bans/",
    response={201: schemas.BanMade, **MODERATION_ERRORS},
    tags=["moderate"],
)
def ban(request: HttpRequest, payload: schemas.NewBan) -> HttpResponse:
    """Ban a reader's account from posting, or shadow-hide it; optionally for some days,
    and taking down what they have up or waiting."""
    moderator = _moderator(request)
    reader = User.objects.filter(username=payload.username).first()
    if reader is None:
        message = "No reader has this name."
        raise ApiError(400, "invalid", message, {"username": [message]})
    kinds = [Ban.Kind.ACCOUNT.value, Ban.Kind.SHADOW.value]
    if payload.kind not in kinds:
        message = f"An account's ban is one of: {', '.join(kinds)}."
        raise ApiError(400, "invalid", message, {"kind": [message]})
    expires = timezone.now() + dt.timedelta(days=payload.days) if payload.days else None
    try:
        made = services.ban_reader(
            kinds=[payload.kind],
            moderator=moderator,
            reason=payload.reason,
            reader_reason=payload.reader_reason,
            user=reader,
            expires_at=expires,
            remove_posts=payload.remove_posts,
        )
    except services.AlreadyBanned as error:
        raise ApiError(409, "already_banned", error.messages[0]) from None
    except ValidationError as error:
        raise from_validation(error, "kind") from None
    body = {"kinds": [b.kind for b in made], "reader": reader.username, "expires_at": expires}
    return JsonResponse(body, status=201)
