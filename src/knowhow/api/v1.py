"""The API's first version, under /api/v1/, with its OpenAPI document at
/api/v1/openapi.json. Every refusal has one body (knowhow.api.errors)."""

from __future__ import annotations

from ninja import NinjaAPI

from knowhow import __version__
from knowhow.api import errors, reads, writes

api = NinjaAPI(
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
)
errors.install(api)
api.add_router("", reads.router)
assert writes.router is reads.router  # the writes share the reads' addresses
