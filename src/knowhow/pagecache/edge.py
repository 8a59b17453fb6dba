"""Edge caches (Varnish with xkey, a CDN that speaks surrogate keys) kept never stale.

Anonymous pages go out to an edge with `Surrogate-Control: max-age=N` and their tags in
`Surrogate-Key`; a write's tags are purged from every edge in KNOWHOW_EDGE_PURGE_URLS when
it commits, before its response returns (api.changed). A purge that fails is owed: the task
worker retries it until it succeeds, and until then pages with those tags go out with
max-age=0, so the edge asks again each time rather than keeping a new copy.

Two kinds of purge URL:
- varnish://host:port: `PURGE /` with the tags in an `xkey` header (deploy/varnish/knowhow.vcl);
- http(s)://...: `POST` to that URL with the tags in a `Surrogate-Key` header, as CDNs that
  purge by surrogate key accept; a user and password in the URL go as Basic auth.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import hashlib
import http.client
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from django.conf import settings
from django_tasks import task

from knowhow.pagecache.versions import slot_of

logger = logging.getLogger(__name__)

PURGE_TIMEOUT = 2.0  # seconds one edge may take to answer a purge
RETRY_LIMIT = 24 * 3600  # seconds a failing purge is retried before it is given up
# Tags per purge request: keeps the header well under an edge's header size limit.
BATCH = 100


def purgers() -> list[str]:
    return list(settings.EDGE_PURGE_URLS)


def send_purge(url: str, tags: list[str]) -> None:
    """One purge of these tags from one edge; raises unless the edge says it is done."""
    parts = urlsplit(url)
    varnish = parts.scheme == "varnish"
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    host = parts.hostname or ""
    connection = connection_class(host, parts.port, timeout=PURGE_TIMEOUT)
    headers = {"Host": parts.netloc.rpartition("@")[2]}
    if parts.username is not None:
        pair = f"{parts.username}:{parts.password or ''}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        for start in range(0, len(tags), BATCH):
            keys = " ".join(tags[start : start + BATCH])
            if varnish:
                connection.request("PURGE", path, headers={**headers, "xkey": keys})
            else:
                connection.request("POST", path, headers={**headers, "Surrogate-Key": keys})
            response = connection.getresponse()
            response.read()
            if not 200 <= response.status < 300:
                raise OSError(f"{parts.netloc} answered the purge with {response.status}")
    finally:
        connection.close()


def purge(tags: Iterable[str]) -> None:
    """Purge these tags from every edge now; a failed purge is owed and retried."""
    urls = purgers()
    if not urls:
        return
    wanted = sorted(set(tags))
    for url in urls:
        try:
            send_purge(url, wanted)
        except Exception as error:
            logger.warning("edge purge of %s failed, retried later: %s", _name(url), error)
            owed().mark(url, wanted)
            _queue(url, wanted, attempt=1)


def _name(url: str) -> str:
    """The edge's address without a password, for logs."""
    return urlsplit(url).netloc.rpartition("@")[2]


def _queue(url: str, tags: list[str], attempt: int) -> None:
    delay = min(2**attempt, 300)
    run_after = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=delay)
    try:
        purge_later.using(run_after=run_after).enqueue(url, tags, attempt)
    except Exception:  # pages with these tags keep max-age=0 until a purge succeeds
        logger.exception("could not queue the edge purge of %s", sorted(tags))


@task()
def purge_later(url: str, tags: list[str], attempt: int) -> bool:
    """Retry a purge that failed; once it succeeds the edge may keep these pages again."""
    if url not in purgers():  # the edge was taken out of the configuration
        owed().clear(url, tags)
        return False
    try:
        send_purge(url, tags)
    except Exception as error:
        if sum(min(2**n, 300) for n in range(1, attempt + 1)) >= RETRY_LIMIT:
            logger.error("edge purge of %s given up after a day: %s", _name(url), error)
            return False
        logger.warning("edge purge of %s failed again: %s", _name(url), error)
        _queue(url, tags, attempt + 1)
        return False
    owed().clear(url, tags)
    return True


def keep_for(tags: Iterable[str]) -> int:
    """Seconds an edge may keep a page with these tags: 0 while a purge of one is owed."""
    urls = purgers()
    if not urls or owed().any(urls, tags):
        return 0
    return int(settings.EDGE_MAX_AGE)


class Owed(Protocol):
    def mark(self, url: str, tags: Iterable[str]) -> None: ...
    def clear(self, url: str, tags: Iterable[str]) -> None: ...
    def any(self, urls: list[str], tags: Iterable[str]) -> bool: ...


def _key(url: str, tag: str) -> str:
    return f"{hashlib.blake2b(url.encode(), digest_size=4).hexdigest()}-{slot_of(tag)}"


class FileOwed:
    """Owed purges as empty files in the data folder: every process on this machine sees
    them (the site on one machine, its cache in memory)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def mark(self, url: str, tags: Iterable[str]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        for tag in tags:
            (self.folder / _key(url, tag)).touch()

    def clear(self, url: str, tags: Iterable[str]) -> None:
        for tag in tags:
            (self.folder / _key(url, tag)).unlink(missing_ok=True)

    def any(self, urls: list[str], tags: Iterable[str]) -> bool:
        if not self.folder.exists():
            return False
        return any((self.folder / _key(url, tag)).exists() for url in urls for tag in tags)


class CacheOwed:
    """Owed purges in the shared cache (Redis), for servers on several machines."""

    def mark(self, url: str, tags: Iterable[str]) -> None:
        from django.core.cache import cache

        cache.set_many({f"edge-owed:{_key(url, tag)}": 1 for tag in tags}, timeout=RETRY_LIMIT)

    def clear(self, url: str, tags: Iterable[str]) -> None:
        from django.core.cache import cache

        cache.delete_many([f"edge-owed:{_key(url, tag)}" for tag in tags])

    def any(self, urls: list[str], tags: Iterable[str]) -> bool:
        from django.core.cache import cache

        keys = [f"edge-owed:{_key(url, tag)}" for url in urls for tag in tags]
        try:
            return bool(cache.get_many(keys))
        except Exception:  # unknown: the edge asks again rather than keep a stale page
            return True


@functools.cache
def owed() -> Owed:
    if settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        return CacheOwed()
    return FileOwed(Path(settings.VAR_DIR) / "run" / "edge-owed")
