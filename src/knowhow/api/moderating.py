"""The moderators' work through the API (the `moderate` scope, held only by accounts that
may moderate): the held and reported posts, and decisions on them, through the same
services and the same table of which decision fits which post (moderation.decisions) as
the queue's buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse

from knowhow.accounts.api_tokens import Scope
from knowhow.api import paging, schemas, shapes
from knowhow.api.callers import require
from knowhow.api.errors import ApiError, from_validation
from knowhow.api.reads import ERRORS, published_or_404, router
from knowhow.discussion.models import Post
from knowhow.moderation import decisions, selectors, services
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
