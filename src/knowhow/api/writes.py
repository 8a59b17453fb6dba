"""What a caller may write: posts under articles, corrections and removals of their own
posts, reports, and readers' appeals against bans and removals. Each goes through the
service the pages use (discussion.services, moderation.services), so every anti-abuse
check of the pages applies: bans refuse, posts the spam guard doubts are held, rate limits
count, blocked words refuse."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse

from knowhow.accounts.api_tokens import Scope
from knowhow.antiabuse.bans import standing
from knowhow.api import schemas, shapes
from knowhow.api.callers import Caller, require
from knowhow.api.errors import ApiError, from_refusal, from_validation
from knowhow.api.reads import ERRORS, published_or_404, router
from knowhow.articles.models import Article
from knowhow.discussion import selectors as discussion
from knowhow.discussion import services as posting
from knowhow.discussion.models import Post
from knowhow.moderation import services as moderation

WRITE_ERRORS = {**ERRORS, 409: schemas.Error, 415: schemas.Error}
CANNOT_CHANGE = "Only the author can change a post, and only in the first minutes after posting."


def _written(
    request: HttpRequest, article: Article, post: Post, *, duplicate: bool, status: int
) -> JsonResponse:
    body = {
        **shapes.post(request, article, post),
        "held": post.status == Post.Status.HELD,
        "duplicate": duplicate,
    }
    response = JsonResponse(body, status=status, encoder=DjangoJSONEncoder)
    response["Location"] = shapes.api_url(request, "article-post", article.slug, post.number)
    return response


@router.post(
    "/articles/{slug}/posts/",
    response={201: schemas.PostWritten, 200: schemas.PostWritten, **WRITE_ERRORS},
    tags=["write"],
)
def create_post(request: HttpRequest, slug: str, payload: schemas.NewPost) -> HttpResponse:
    """Post under the article, as the token's account (or the signed-in reader), or as an
    anonymous reader. A post the spam guard doubts is stored held: `held` says so, and only
    its author and moderators see it until a moderator approves it. Sending the same text
    again answers 200 with the post already stored."""
    caller = require(request, Scope.POST.value)
    article = published_or_404(slug)
    as_reader = caller.account is not None and not payload.anonymous
    try:
        outcome = posting.submit_post(
            article=article,
            body=payload.body,
            author=caller.account if as_reader else None,
            address=caller.address,
            reply_to=payload.reply_to,
            user_agent=request.headers.get("User-Agent", "")[:500],
            own_post_ids=caller.own_post_ids,
            account=caller.account,
        )
    except posting.PostRefused as refusal:
        raise from_refusal(refusal, "body") from None
    except ValidationError as error:
        raise from_validation(error, "body") from None
    post = outcome.post
    if not as_reader and caller.token is None:
        # The site's own scripts: this browser may correct its anonymous post, as on the page.
        discussion.remember_own_post(request.session, post.pk)
    status = 200 if outcome.duplicate else 201
    return _written(request, article, post, duplicate=outcome.duplicate, status=status)


def _own_post(caller: Caller, article: Article, number: int) -> Post:
    post = (
        Post.objects.select_related("article", "author", "reply_to")
        .filter(article=article, number=number)
        .first()
    )
    if post is None:
        raise ApiError(404, "not_found", "The discussion has no such post.")
    if not posting.can_change(post, caller.account, caller.own_post_ids):
        raise ApiError(403, "cannot_change", CANNOT_CHANGE)
    return post


@router.patch(
    "/articles/{slug}/posts/{number}/",
    response={200: schemas.PostWritten, **WRITE_ERRORS},
    tags=["write"],
)
def edit_post(
    request: HttpRequest, slug: str, number: int, payload: schemas.PostEdit
) -> HttpResponse:
    """Correct one's own post, within the minutes the site allows after posting."""
    caller = require(request, Scope.POST.value)
    article = published_or_404(slug)
    post = _own_post(caller, article, number)
    try:
        posting.edit_own_post(
            post=post, body=payload.body, account=caller.account, address=caller.address
        )
    except posting.PostRefused as refusal:
        raise from_refusal(refusal, "body") from None
    except ValidationError as error:
        raise from_validation(error, "body") from None
    return _written(request, article, post, duplicate=False, status=200)


@router.delete(
    "/articles/{slug}/posts/{number}/", response={204: None, **WRITE_ERRORS}, tags=["write"]
)
def delete_post(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """Take down one's own post, within the minutes the site allows; its number stays."""
    caller = require(request, Scope.POST.value)
    article = published_or_404(slug)
    post = _own_post(caller, article, number)
    posting.delete_own_post(post=post)
    return HttpResponse(status=204)


@router.post(
    "/articles/{slug}/posts/{number}/report/",
    response={201: schemas.Reported, 200: schemas.Reported, **WRITE_ERRORS},
    tags=["write"],
)
def report_post(
    request: HttpRequest, slug: str, number: int, payload: schemas.Report
) -> HttpResponse:
    """Report a visible post to the moderators; a reader reports a post once."""
    caller = require(request, Scope.POST.value)
    article = published_or_404(slug)
    post = Post.objects.visible().filter(article=article, number=number).first()
    if post is None:
        raise ApiError(404, "not_found", "The discussion has no such post.")
    reporter = caller.account if isinstance(caller.account, User) else None
    try:
        flag = moderation.flag_post(
            post=post,
            reason=payload.reason,
            note=payload.note,
            reporter=reporter,
            address=caller.address,
        )
    except posting.PostRefused as refusal:
        raise from_refusal(refusal, "note") from None
    except ValidationError as error:
        raise from_validation(error, "reason") from None
    if flag is None:
        body = {"reported": False, "message": f"You had already reported Post {number}."}
        return JsonResponse(body, status=200)
    body = {"reported": True, "message": f"Thank you: a moderator will look at Post {number}."}
    return JsonResponse(body, status=201)


# How a refused appeal or second look is answered, by the service's code.
APPEAL_REFUSALS = {
    "already_appealed": 409,
    "asked_already": 409,
    "not_removed": 409,
    "not_yours": 403,
}


def _appeal_refused(error: ValidationError, field: str) -> ApiError:
    code = str(getattr(error, "code", "") or "")
    status = APPEAL_REFUSALS.get(code)
    if status is None:
        return from_validation(error, field)
    return ApiError(status, code, error.messages[0])


def _appeal_allowance(caller: Caller) -> None:
    wait = moderation.appeal_wait(user=caller.account, address=caller.address)
    if wait is not None:
        message = f"Too many appeals from you: try again in {wait // 60 + 1} minutes."
        raise ApiError(429, "rate_limited", message, retry_after=wait)


@router.post(
    "/appeals/",
    response={201: schemas.AppealSent, **WRITE_ERRORS},
    tags=["write"],
)
def appeal(request: HttpRequest, payload: schemas.NewAppeal) -> HttpResponse:
    """A banned reader's appeal against the ban that keeps them from posting now (their
    account's, or their address's: never another's), as on the appeal page; one at a time
    per ban. A reader without an account email gives one to be answered at."""
    caller = require(request, Scope.POST.value)
    ban = standing(caller.account, caller.address).banned
    if ban is None:
        raise ApiError(403, "not_banned", "No ban keeps you from posting: there is no appeal.")
    _appeal_allowance(caller)
    try:
        moderation.appeal_ban(
            ban_record=ban, user=caller.account, email=payload.email, text=payload.text
        )
    except ValidationError as error:
        field = "text" if getattr(error, "code", "") == "empty" else "email"
        raise _appeal_refused(error, field) from None
    message = "Your appeal is with the moderators; they will answer you by email."
    return JsonResponse({"message": message}, status=201)


@router.post(
    "/articles/{slug}/posts/{number}/second-look/",
    response={201: schemas.AppealSent, **WRITE_ERRORS},
    tags=["write"],
)
def second_look(
    request: HttpRequest, slug: str, number: int, payload: schemas.SecondLook
) -> HttpResponse:
    """The author of a post a moderator removed asks, once, for a second look."""
    caller = require(request, Scope.POST.value, account=True)
    assert caller.account is not None  # account=True
    article = published_or_404(slug)
    post = Post.objects.filter(article=article, number=number).first()
    if post is None:
        raise ApiError(404, "not_found", "The discussion has no such post.")
    _appeal_allowance(caller)
    try:
        moderation.ask_second_look(post=post, user=caller.account, text=payload.text)
    except ValidationError as error:
        raise _appeal_refused(error, "text") from None
    message = f"Your request is with the moderators; they will email you about Post {number}."
    return JsonResponse({"message": message}, status=201)


@router.get("/me/", response={200: schemas.Me, **ERRORS}, tags=["read"])
def me(request: HttpRequest) -> HttpResponse:
    """Who the API takes the caller for, and what they may do."""
    caller = require(request, Scope.READ.value)
    body = {
        "username": caller.account.username if caller.account else None,
        "scopes": sorted(caller.scopes),
        "token": caller.token.name if caller.token else None,
    }
    return JsonResponse(body)
