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

from knowhow.pagecache.mirror import MirroredVersions
from knowhow.pagecache.versions import SITE_TAG, FileVersions, RedisVersions, Versions

logger = logging.getLogger(__name__)

# The response header through which a view hands its page to the WSGI layer (never sent).
MARK_HEADER = "X-Knowhow-Page"
# Set in the WSGI environ for requests whose page may be cached: per-visitor bits render as
# holes. Its value is the kind of visitor the page is kept for: ANONYMOUS, or READER (a
# signed-in reader who is not staff, with nothing in their session but the sign-in).
CACHE_MODE = "knowhow.pagecache"
ANONYMOUS = "anonymous"
READER = "reader"


@functools.cache
def versions() -> Versions:
    """The version store every process of this site shares (see versions.py)."""
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("RedisCache"):
        location = cache["LOCATION"]
        url = location[0] if isinstance(location, list | tuple) else location
        prefix = f"knowhow:pages:{settings.PAGE_CACHE_NAMESPACE}"
        if settings.PAGE_CACHE_LEASE_SECONDS > 0:
            return MirroredVersions(str(url), prefix, lease=settings.PAGE_CACHE_LEASE_SECONDS)
        return RedisVersions(str(url), prefix=prefix)
    return FileVersions(Path(settings.VAR_DIR) / "run" / "page-versions")


# (prefix, tag): a change of any tag starting with the prefix changes the tag too (`also`).
_ALSO: list[tuple[str, str]] = []


def also(prefix: str, tag: str) -> None:
    """Whenever a tag starting with `prefix` changes, `tag` changes too: a page that shows
    a little of every thread (the moderators' queue) names one tag, not each thread's."""
    if (prefix, tag) not in _ALSO:
        _ALSO.append((prefix, tag))


def changed(*tags: str) -> None:
    """Pages depending on these tags are stale, now and once the transaction commits.

    Called by every write before its response. The bump at commit is the one that counts:
    after it, no process serves the old page, and edges (edge.py) are purged. The bump
    now makes reads later in the same transaction fresh too; a page rendered between the
    two from the not yet committed state of other connections is dropped again by the
    second.
    """
    if not tags:
        return
    wanted = frozenset(tags) | {
        derived for prefix, derived in _ALSO if any(tag.startswith(prefix) for tag in tags)
    }

    def bump() -> None:
        try:
            versions().bump(wanted)
        except Exception:  # the write stands; say loudly that pages may lag behind it
            logger.exception("page cache: could not mark %s as changed", sorted(wanted))

    def bump_and_purge() -> None:
        bump()
        # Edges keep pages outside every process: purged once the write is visible to all.
        try:
            from knowhow.pagecache import edge

            edge.purge(wanted)
        except Exception:
            logger.exception("page cache: could not purge %s from the edge", sorted(wanted))

    if transaction.get_connection().in_atomic_block:
        bump()
    transaction.on_commit(bump_and_purge)


def follow(model: type[Model], tags_of: Callable[[Any], Iterable[str]], *,
           unseen: Iterable[str] = ()) -> None:  # fmt: skip
    """Name the pages every save or deletion of this model changes, wherever it happens
    (services, the admin, imports); bulk updates call `changed` themselves. A save of only
    `unseen` fields (update_fields) changes no page."""
    hidden = frozenset(unseen)

    def saved(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None and hidden and set(fields) <= hidden:
            return
        changed(*tags_of(instance))

    post_save.connect(saved, sender=model, weak=False)
    post_delete.connect(saved, sender=model, weak=False)


def in_cache_mode(request: HttpRequest) -> bool:
    """Whether this render may be cached for everyone: per-visitor bits become holes."""
    return bool(request.META.get(CACHE_MODE))


def mark(
    request: HttpRequest,
    response: HttpResponse,
    tags: Iterable[str],
    expires: Callable[[], dt.datetime | None] | None = None,
    shared: bool = True,
    reader_check: str = "",
    max_age: int = 0,
) -> HttpResponse:
    """Offer this page to the page cache, valid until any tag changes or `expires()`.

    Only renders meant for the cache are offered (the others are one visitor's own), so
    `expires` is asked only then. shared=False keeps CDNs and proxies from storing it.
    reader_check names a kept answer (with "{user}" for the reader's id) that must be
    "" for a signed-in reader to get this page from memory; otherwise they get a live one.
    max_age > 0 lets browsers and CDNs reuse a shared page that long without asking (pages
    other sites embed, which hold nothing of a visitor's own and never vary by cookie).
    """
    if not in_cache_mode(request):
        return response
    until = expires() if expires else None
    parts = sorted({SITE_TAG, *tags})
    value = " ".join(parts)
    value += f";expires={int(until.timestamp()) if until else 0}"
    value += f";shared={int(shared)}"
    if reader_check:
        value += f";check={reader_check}"
    if max_age > 0:
        value += f";max_age={int(max_age)}"
    response[MARK_HEADER] = value
    return response
