"""Reads answered from the page cache's kept parts, with validators, never stale.

Each read says what it shows as page-cache tags (site.depends), as the pages do; its JSON
is kept in this process (pagecache.fragments) until any of them changes in any process, so
a post made through the site shows in the API at once and the other way round. The ETag
is a hash of the kept JSON, the one the page cache gives kept pages: a client that sends it
back in If-None-Match gets 304 while nothing it shows has changed, at the cost of checking
the versions.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse

from knowhow import pagecache
from knowhow.pagecache.fragments import fragments

# What a read makes: its JSON-ready body, the tags of what it shows, and when it changes by
# itself (a scheduled article going live), as a timestamp, if ever.
Made = tuple[dict[str, Any], Iterable[str], dt.datetime | None]


def etag_of(body: str) -> str:
    return 'W/"' + hashlib.blake2b(body.encode(), digest_size=10).hexdigest() + '"'


def _matches(header: str, etag: str) -> bool:
    wanted = etag.removeprefix("W/")
    return any(
        tag.strip() == "*" or tag.strip().removeprefix("W/") == wanted for tag in header.split(",")
    )


def answer(request: HttpRequest, make: Callable[[], Made], reader_check: str = "") -> HttpResponse:
    """The read's JSON, from memory while still valid; 304 when the client has it.
    `reader_check`: as pagecache.mark's, for a read that differs for some signed-in readers."""

    def build() -> tuple[object, Iterable[str], float | None]:
        payload, tags, until = make()
        body = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False)
        kept_tags = list(tags)
        stamp = until.timestamp() if until else None
        # Kept as one text, so the store's budget counts all of it: when it changes by
        # itself, the tags, then the body.
        return f"{stamp or ''}\n{' '.join(kept_tags)}\n{body}", kept_tags, stamp

    key = "api:" + request.build_absolute_uri()
    stamp, tag_text, body = str(fragments().get_or_make(key, build)).split("\n", 2)
    tags = tag_text.split()
    until = dt.datetime.fromtimestamp(float(stamp), dt.UTC) if stamp else None
    etag = etag_of(body)
    if _matches(request.headers.get("If-None-Match", ""), etag):
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type="application/json")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    expires = (lambda: until) if until else None
    return pagecache.mark(request, response, tags, expires, reader_check=reader_check)


def personal(body: dict[str, Any]) -> HttpResponse:
    """A read that is this caller's own (their held posts in a thread): made for them each
    time, never kept here, by the page cache, or by any proxy."""
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type="application/json",
    )
    response["Cache-Control"] = "private, no-store"
    return response
