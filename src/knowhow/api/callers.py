"""Who is calling the API, what they may do, and how often.

Three kinds of caller: a personal token (`Authorization: Bearer kh_…`), which may do what
its scopes say and its account still may; the site's own scripts, with the reader's
session (and the CSRF token for writes); and anyone, who may read and post as an
anonymous reader may on the pages. Every request counts against the caller's address, and
a token's against the token too (antiabuse.ratelimit); past a limit the answer is 429
with Retry-After.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.utils import check_csrf

from knowhow.accounts.api_tokens import Scope, allowed_scopes, granted, token_for
from knowhow.accounts.models import ApiToken
from knowhow.antiabuse import ratelimit
from knowhow.antiabuse.addresses import Address, request_address
from knowhow.api.errors import ApiError
from knowhow.discussion.selectors import own_post_ids

# What anyone may do without an account, as on the pages.
ANONYMOUS_SCOPES = frozenset({Scope.READ.value, Scope.POST.value})
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
CALLER_ATTRIBUTE = "knowhow_api_caller"


@dataclass(frozen=True)
class Caller:
    address: Address
    account: User | None = None
    token: ApiToken | None = None
    scopes: frozenset[str] = ANONYMOUS_SCOPES
    # Anonymous posts this browser sent, from its session (the site's own scripts).
    own_post_ids: list[int] = field(default_factory=list)


def _bearer(request: HttpRequest) -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    kind, _, value = header.strip().partition(" ")
    if kind.lower() != "bearer" or not value.strip():
        raise ApiError(401, "bad_authorization", "Send a token as: Authorization: Bearer <token>.")
    return value.strip()


def _count(key: str, rates: list[tuple[int, int]]) -> None:
    limited = ratelimit.hit(key, rates)
    if limited is not None:
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests: try again in {limited.retry_after} seconds.",
            retry_after=limited.retry_after,
        )


def identify(request: HttpRequest) -> Caller:
    """The caller of this request, counted against its limits; ApiError when its token is
    not one, or the site's session writes without the CSRF token."""
    known = getattr(request, CALLER_ATTRIBUTE, None)
    if isinstance(known, Caller):
        return known
    address = request_address(request)
    # The address first: a client trying tokens that are none is counted too.
    _count(f"api-address:{address.reader_hash}", settings.API_RATE_ADDRESS)
    text = _bearer(request)
    if text is not None:
        token = token_for(text)
        if token is None:
            raise ApiError(401, "invalid_token", "This token is unknown, revoked or expired.")
        _count(f"api-token:{token.pk}", settings.API_RATE_TOKEN)
        caller = Caller(address, token.user, token, granted(token))
    else:
        user = request.user
        if isinstance(user, User) and user.is_authenticated:
            if request.method not in SAFE_METHODS and check_csrf(request) is not None:
                raise ApiError(
                    403,
                    "csrf_failed",
                    "A write with the site's session needs its CSRF token "
                    "(the X-CSRFToken header).",
                )
            caller = Caller(address, user, None, frozenset(allowed_scopes(user)))
        else:
            caller = Caller(address, own_post_ids=own_post_ids(request.session))
    setattr(request, CALLER_ATTRIBUTE, caller)
    return caller


def gate(request: HttpRequest) -> Caller:
    """Run for every operation once its method is known, before its body is read: who the
    caller is (counted against their limits), and a POST's body is JSON."""
    if request.method == "POST" and request.content_type != "application/json":
        # Another site's page may send a form or text here without the browser asking, with
        # its visitor's cookies and address; JSON needs the browser's leave.
        raise ApiError(415, "json_only", "Send the body as JSON (Content-Type: application/json).")
    return identify(request)


def upload_gate(request: HttpRequest) -> Caller:
    """The gate of an address that takes a file: its POST is multipart/form-data. Only an
    account's token or its session with the CSRF token may use one (knowhow.api.newsroom),
    so another site's form, which can send neither, gets no further."""
    if request.method == "POST" and request.content_type != "multipart/form-data":
        raise ApiError(
            415, "multipart_only", "Send the file as multipart/form-data, with its fields."
        )
    return identify(request)


def require(request: HttpRequest, scope: str, *, account: bool = False) -> Caller:
    """The caller, if they may act in this scope (and have an account, when asked)."""
    caller = identify(request)
    if caller.account is None and (account or scope not in caller.scopes):
        raise ApiError(401, "not_signed_in", "This needs a token or a signed-in reader.")
    if scope not in caller.scopes:
        raise ApiError(
            403, "missing_scope", f"This token may not do this: it needs the “{scope}” scope."
        )
    return caller
