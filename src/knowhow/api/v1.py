"""The API's first version, under /api/v1/, with its OpenAPI document at
/api/v1/openapi.json. Every refusal has one body (knowhow.api.errors)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern
from ninja import NinjaAPI

from knowhow import __version__
from knowhow.api import callers, errors, moderating, newsroom, reads, writes
from knowhow.request_size import takes_upload


class _Api(NinjaAPI):
    """The API, its OpenAPI document made once per process and address: building it walks
    every operation and schema (a third of a second of CPU), and it never changes while the
    process runs."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        key = (path_prefix, *sorted((path_params or {}).items()))
        documents: dict[tuple[object, ...], Any] = self.__dict__.setdefault("_documents", {})
        if key not in documents:
            documents[key] = super().get_openapi_schema(
                path_prefix=path_prefix, path_params=path_params
            )
        return documents[key]


api = _Api(
    title="knowhow",
    version="1",
    description=(
        "Articles, topics, people, facts and the discussion of this site, as its pages "
        f"show them (knowhow {__version__}). Read without a token; post, correct and "
        "report with a personal token (Authorization: Bearer …) made on the settings page, "
        "or anonymously where the site allows."
    ),
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
    auth=callers.gate,
)
errors.install(api)
api.add_router("", reads.router)
# One router: reads and writes share addresses.
assert writes.router is reads.router is moderating.router is newsroom.router


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A method an address does not take: the API's error body, with the methods it does."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            error = errors.ApiError(
                405, "method_not_allowed", f"This address takes: {response['Allow']}."
            )
            answer = errors.error_response(error)
            answer["Allow"] = response["Allow"]
            return answer
        return response

    return wrapped


def urls() -> tuple[list[Any], str, str]:
    """The API's addresses, for the site's urls.py."""
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = _guarded(pattern.callback)
            if "/" + str(pattern.pattern) in newsroom.UPLOADS:
                # Its body may be a picture larger than the site's cap (request_size).
                pattern.callback = takes_upload(pattern.callback)
    return patterns, app_name, namespace
