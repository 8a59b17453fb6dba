"""The moderators' work through the API (the `moderate` scope, held only by accounts that
may moderate): the held and reported posts, and decisions on them, through the same
services and the same table of which decision fits which post (moderation.decisions) as
the queue's buttons; moderators' edits and redactions; bans of accounts, addresses,
networks and ranges, and lifting them; appeals; and the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.paginator import Page
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
from knowhow.moderation.describe import ban_target
from knowhow.moderation.models import Appeal, ModerationAction
from knowhow.moderation.readers import waiting_appeals
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


def _numbered(
    request: HttpRequest,
    name: str,
    select: Callable[[int], Page[Any]],
    shape: Callable[[Any], dict[str, Any]],
) -> dict[str, Any]:
    """One page of a list the moderation pages number (log, bans), as the API pages lists:
    the cursor holds the next page's number; a number past the end gives no items."""
    at = paging.window(request, name)
    number = int(at.after[0]) if at.after and isinstance(at.after[0], int) else 1
    found = select(number)
    shown = list(found.object_list) if found.number == number else []
    page = paging.Page(shown, [number + 1] if shown and found.has_next() else None)
    return {
        "items": [shape(item) for item in page.items],
        "next": paging.next_link(request, at, page),
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
    return JsonResponse(_numbered(request, "log", selectors.log_entries, _entry))


def _ban(ban: Ban) -> dict[str, Any]:
    return {
        "id": ban.pk,
        "kind": ban.kind,
        "target": ban_target(ban),
        "reader": ban.user.username if ban.user is not None else None,
        "cidr": ban.cidr,
        "reason": ban.reason,
        "reader_reason": ban.reader_reason,
        "created_by": ban.created_by.username if ban.created_by is not None else None,
        "created_at": ban.created_at,
        "expires_at": ban.expires_at,
        "lifted_at": ban.lifted_at,
        "in_force": ban.is_active,
    }


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(400, "invalid", message, {field: [message]})


def _ban_terms(payload: schemas.NewBan) -> dict[str, Any]:
    """Who or what the ban is on, as the ban forms take it: an account by name, a post (its
    author or where it came from), or a range. Which kinds fit which is the service's."""
    named = [n for n, v in (("username", payload.username), ("post", payload.post),
                            ("cidr", payload.cidr.strip())) if v]  # fmt: skip
    if len(named) != 1:
        raise _invalid("username", "Name one of: username, post or cidr.")
    kind = payload.kind or (Ban.Kind.RANGE.value if payload.cidr.strip() else "account")
    if kind not in Ban.Kind.values:
        raise _invalid("kind", f"A ban is one of: {', '.join(Ban.Kind.values)}.")
    if (kind == Ban.Kind.RANGE) != bool(payload.cidr.strip()):
        raise _invalid("kind", "A range ban takes a cidr, and a cidr only a range ban.")
    terms: dict[str, Any] = {"kinds": [kind], "cidr": payload.cidr}
    if payload.username is not None:
        name = payload.username.strip().lstrip("@")
        reader = User.objects.filter(username__iexact=name).first()
        if reader is None:
            raise _invalid("username", "No reader has this name.")
        terms["user"] = reader
    if payload.post is not None:
        article = published_or_404(payload.post.article)
        post = selectors.moderated_posts().filter(article=article, number=payload.post.number)
        terms["post"] = post.first()
        if terms["post"] is None:
            raise _invalid("post", "The discussion has no such post.")
    return terms


@router.post(
    "/moderation/bans/",
    response={201: schemas.BanMade, **MODERATION_ERRORS},
    tags=["moderate"],
)
def ban(request: HttpRequest, payload: schemas.NewBan) -> HttpResponse:
    """Ban as the moderation pages do: a reader's account (or shadow-hide it), the address
    or network a post came from (or a reader's latest post), or an address range;
    optionally for some days, and taking down what they have up or waiting. A reader or
    place banned already is refused with 409 `already_banned`, unless `replace` asks to
    change the ban in force to these terms."""
    moderator = _moderator(request)
    terms = _ban_terms(payload)
    expires = timezone.now() + dt.timedelta(days=payload.days) if payload.days else None
    try:
        made = services.ban_reader(
            moderator=moderator,
            reason=payload.reason,
            reader_reason=payload.reader_reason,
            expires_at=expires,
            remove_posts=payload.remove_posts,
            replace=payload.replace,
            **terms,
        )
    except services.AlreadyBanned as error:
        raise ApiError(409, "already_banned", error.messages[0]) from None
    except ValidationError as error:
        field = "cidr" if getattr(error, "code", "") == "bad_range" else "kind"
        raise from_validation(error, field) from None
    reader = made[0].user
    body = {
        "kinds": [b.kind for b in made],
        "reader": reader.username if reader is not None else None,
        "expires_at": expires,
        "bans": [_ban(b) for b in made],
    }
    return JsonResponse(body, status=201, encoder=shapes.JSON_ENCODER)


@router.get(
    "/moderation/bans/",
    response={200: schemas.BanList, **ERRORS},
    tags=["moderate"],
    url_name="moderation-bans",
)
def bans(request: HttpRequest) -> HttpResponse:
    """The bans in force, newest first, as the bans page lists them."""
    _moderator(request)
    body = _numbered(request, "bans", selectors.active_bans, _ban)
    return JsonResponse(body, encoder=shapes.JSON_ENCODER)


@router.post(
    "/moderation/bans/{ban_id}/lift/",
    response={200: schemas.BanRecord, **MODERATION_ERRORS},
    tags=["moderate"],
)
def lift(request: HttpRequest, ban_id: int, payload: schemas.Lift) -> HttpResponse:
    """Lift a ban in force (a shadow-hidden reader's posts show again), logged as the bans
    page's Lift is; a ban over already is refused with 409."""
    moderator = _moderator(request)
    record = (
        Ban.objects.select_related("user", "created_by", "source_post__article")
        .filter(pk=ban_id)
        .first()
    )
    if record is None:
        raise ApiError(404, "not_found", "No ban has this id.")
    if not record.is_active:
        raise ApiError(409, "not_in_force", "That ban is no longer in force; nothing was changed.")
    services.lift_ban(ban_record=record, moderator=moderator, note=payload.note.strip())
    return JsonResponse(_ban(record), encoder=shapes.JSON_ENCODER)


def _post_for_moderator(slug: str, number: int) -> Post:
    article = published_or_404(slug)
    post = selectors.moderated_posts().filter(article=article, number=number).first()
    if post is None:
        raise ApiError(404, "not_found", "The discussion has no such post.")
    return post


@router.post(
    "/moderation/posts/{slug}/{number}/edit/",
    response={200: schemas.Moderated, **MODERATION_ERRORS},
    tags=["moderate"],
)
def edit(
    request: HttpRequest, slug: str, number: int, payload: schemas.ModeratorEdit
) -> HttpResponse:
    """A moderator's edit of a post, with why (required). With `personal_data` it is a
    redaction: the log keeps that it happened, by whom and why, and no copy of the removed
    words, neither in this entry nor in the post's earlier ones. `close_reports` closes its
    open reports (logged as dismissed), as the edit page's box does."""
    moderator = _moderator(request)
    post = _post_for_moderator(slug, number)
    reports = len(getattr(post, "open_flags", ()))
    change = services.redact_post if payload.personal_data else services.edit_post
    try:
        change(post=post, moderator=moderator, body=payload.body, note=payload.note)
    except ValidationError as error:
        field = "note" if not payload.note.strip() else "body"
        raise from_validation(error, field) from None
    if reports and payload.close_reports:
        services.close_reports(post=post, moderator=moderator)
    shown = _post_for_moderator(slug, number)
    return JsonResponse(_moderated(request, shown), encoder=shapes.JSON_ENCODER)


def _appeal(appeal: Appeal) -> dict[str, Any]:
    post = appeal.post
    return {
        "id": appeal.pk,
        "kind": appeal.kind,
        "reader": appeal.user.username if appeal.user is not None else None,
        "text": appeal.text,
        "created_at": appeal.created_at,
        "ban": _ban(appeal.ban) if appeal.ban is not None else None,
        "post": {"article": post.article.slug, "number": post.number} if post else None,
        "outcome": appeal.outcome,
        "answer": appeal.answer,
        "decided_at": appeal.decided_at,
    }


@router.get(
    "/moderation/appeals/",
    response={200: schemas.AppealList, **ERRORS},
    tags=["moderate"],
    url_name="moderation-appeals",
)
def appeals(request: HttpRequest) -> HttpResponse:
    """Appeals waiting for a moderator, the longest waiting first: against bans, and
    authors' requests for a second look at a removed post."""
    _moderator(request)
    at = paging.window(request, "appeals")
    rows = waiting_appeals().select_related("ban__created_by")
    page = paging.by_key(rows, ("created_at", "pk"), at)
    body = {
        "items": [_appeal(appeal) for appeal in page.items],
        "next": paging.next_link(request, at, page),
    }
    return JsonResponse(body, encoder=shapes.JSON_ENCODER)


# How a refused decision on an appeal is answered, by the service's code.
APPEAL_REFUSALS = {"decided": (409, "already_decided"), "gone": (409, "gone")}


@router.post(
    "/moderation/appeals/{appeal_id}/decision/",
    response={200: schemas.AppealShown, **MODERATION_ERRORS},
    tags=["moderate"],
)
def decide_appeal(
    request: HttpRequest, appeal_id: int, payload: schemas.AppealDecision
) -> HttpResponse:
    """Uphold or lift a ban, keep or restore a post, once; the reader is told by email.
    Lifting and restoring are logged as the queue's are (Lift, Undo)."""
    moderator = _moderator(request)
    appeal = Appeal.objects.filter(pk=appeal_id).first()
    if appeal is None:
        raise ApiError(404, "not_found", "No appeal has this id.")
    try:
        services.decide_appeal(
            appeal=appeal, moderator=moderator, outcome=payload.outcome, answer=payload.answer
        )
    except ValidationError as error:
        refusal = APPEAL_REFUSALS.get(str(getattr(error, "code", "")))
        if refusal is not None:
            raise ApiError(refusal[0], refusal[1], error.messages[0]) from None
        raise from_validation(error, "outcome") from None
    decided = Appeal.objects.select_related(
        "user", "ban__user", "ban__created_by", "ban__source_post__article", "post__article"
    ).get(pk=appeal_id)
    return JsonResponse(_appeal(decided), encoder=shapes.JSON_ENCODER)
