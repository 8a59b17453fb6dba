"""What pages and writes call: mark a page as cacheable, name what a write changed."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import post_delete, post_save
from django.http import HttpRequest, HttpResponse

from knowhow.pagecache.versions import FileVersions, RedisVersions, Versions

logger = logging.getLogger(__name__)

# The response header through which a view hands its page to the WSGI layer (never sent).
MARK_HEADER = "X-Knowhow-Page"
# Set in the WSGI environ for requests whose page may be cached: forms render holes.
CACHE_MODE = "knowhow.pagecache"
# Every page depends on this tag: `knowhow pagecache clear` drops them all.
SITE_TAG = "site"


def site_tag() -> str:
    return SITE_TAG


@functools.cache
def versions() -> Versions:
    """The version store every process of this site shares (see versions.py)."""
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("RedisCache"):
        location = cache["LOCATION"]
        url = location[0] if isinstance(location, list | tuple) else location
        return RedisVersions(str(url), prefix=f"knowhow:pages:{settings.PAGE_CACHE_NAMESPACE}")
    return FileVersions(Path(settings.VAR_DIR) / "run" / "page-versions")


def changed(*tags: str) -> None:
    """Pages depending on these tags are stale once the current transaction commits.

    Called by every write before its response: after commit, no process serves them.
    """
    if not tags:
        return
    wanted = frozenset(tags)

    def bump() -> None:
        try:
            versions().bump(wanted)
        except Exception:  # the write stands; say loudly that pages may lag behind it
            logger.exception("page cache: could not mark %s as changed", sorted(wanted))

    transaction.on_commit(bump)


def follow(model: type[Model], tags_of: Callable[[Any], Iterable[str]]) -> None:
    """Name the pages every save or deletion of this model changes, wherever it happens
    (services, the admin, imports); bulk updates call `changed` themselves."""

    def saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        changed(*tags_of(instance))

    post_save.connect(saved, sender=model, weak=False)
    post_delete.connect(saved, sender=model, weak=False)


def in_cache_mode(request: HttpRequest) -> bool:
    """Whether this render may be cached for everyone: per-visitor bits become holes."""
    return bool(request.META.get(CACHE_MODE))


def mark(
    response: HttpResponse,
    tags: Iterable[str],
    expires: dt.datetime | None = None,
    shared: bool = True,
) -> HttpResponse:
    """Offer this page to the page cache, valid until any tag changes or `expires`.

    shared=False keeps CDNs and proxies from storing it (a page with per-visitor holes).
    """
    parts = sorted({SITE_TAG, *tags})
    value = " ".join(parts)
    value += f";expires={int(expires.timestamp()) if expires else 0}"
    value += f";shared={int(shared)}"
    response[MARK_HEADER] = value
    return response
