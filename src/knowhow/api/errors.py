"""The one error body of the API, whatever refused the request:

    {"code": "missing_scope", "message": "…", "errors": {"body": ["…"]}}

`code` is for programs to branch on, `message` for people, `errors` names the fields at
fault (empty when no field is).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from knowhow.antiabuse.checks import Refused

# Refusals of the anti-abuse layers whose status differs from the pages' (a form used twice
# is a conflict for a program: the post exists).
REFUSAL_STATUS = {"form_used": 409}
# Words for statuses ninja raises by itself, without a code of ours.
STATUS_CODES = {
    400: "bad_request",
    401: "not_signed_in",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "json_only",
    429: "rate_limited",
}


class ApiError(Exception):
    """A refusal with its status, code, message and the fields at fault."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        errors: dict[str, list[str]] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.errors = errors or {}
        self.retry_after = retry_after


def error_response(error: ApiError) -> HttpResponse:
    body = {"code": error.code, "message": error.message, "errors": error.errors}
    response = JsonResponse(body, status=error.status)
    if error.retry_after:
        response["Retry-After"] = str(error.retry_after)
    if error.status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="api"'
    return response


def from_refusal(refusal: Refused, field: str = "") -> ApiError:
    """An anti-abuse or discussion refusal, with the status the pages give it."""
    status = REFUSAL_STATUS.get(refusal.code, refusal.status)
    errors = {field: [refusal.message]} if field and status == 400 else {}
    return ApiError(status, refusal.code, refusal.message, errors, refusal.retry_after)


def from_validation(error: DjangoValidationError, field: str = "") -> ApiError:
    """A service's ValidationError: its fields when it names them, else `field`."""
    if hasattr(error, "error_dict"):
        errors = {name: [str(m) for m in found] for name, found in error.message_dict.items()}
    else:
        errors = {field or "__all__": [str(m) for m in error.messages]}
    first = next(iter(errors.values()))[0]
    return ApiError(400, "invalid", first, errors)


def _field_of(location: Any) -> str:
    """A pydantic error's field: its location after the part it was found in (body, query,
    path) and the name of the view's parameter that holds the body."""
    steps = [str(step) for step in location]
    if steps and steps[0] in ("body", "query", "path"):
        steps = steps[1:]
    if len(steps) > 1 and steps[0] == "payload":
        steps = steps[1:]
    return ".".join(steps) or "__all__"


def from_ninja_validation(error: NinjaValidationError) -> ApiError:
    errors: dict[str, list[str]] = {}
    for item in error.errors:
        errors.setdefault(_field_of(item.get("loc", ())), []).append(str(item.get("msg", "")))
    if "__all__" in errors and "json" in " ".join(errors["__all__"]).lower():
        return ApiError(400, "bad_json", "The body is not the JSON this address takes.", errors)
    return ApiError(400, "invalid", "Some fields are not valid: see errors.", errors)


def as_api_error(exc: Exception) -> ApiError | None:
    """The API's refusal for an exception raised while answering, if it is one."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, NinjaValidationError):
        return from_ninja_validation(exc)
    if isinstance(exc, DjangoValidationError):
        return from_validation(exc)
    if isinstance(exc, Refused):
        return from_refusal(exc)
    if isinstance(exc, HttpError):
        code = STATUS_CODES.get(exc.status_code, "error")
        message = str(exc.message)
        if isinstance(exc, AuthenticationError):
            code = "not_signed_in"
        elif exc.status_code == 400 and "parse" in message:
            code, message = "bad_json", "The body is not the JSON this address takes."
        return ApiError(exc.status_code, code, message)
    if isinstance(exc, Http404):
        return ApiError(404, "not_found", str(exc) or "Not found.")
    if isinstance(exc, PermissionDenied):
        return ApiError(403, "forbidden", str(exc) or "Forbidden.")
    return None


def install(api: NinjaAPI) -> None:
    """Give every refusal of the API, its own and ninja's, the one body."""

    def handle(request: HttpRequest, exc: Any) -> HttpResponse:
        error = as_api_error(exc)
        if error is None:  # not a refusal: the site's error handling (a 500, a 503)
            raise exc
        return error_response(error)

    for kind in (
        ApiError,
        NinjaValidationError,
        DjangoValidationError,
        Refused,
        HttpError,
        Http404,
        PermissionDenied,
    ):
        api.add_exception_handler(kind, handle)


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """An address under the API that names nothing: the API's 404, not the site's page."""
    return error_response(ApiError(404, "not_found", "The API has no such address."))
