"""The WSGI layer that answers GET and HEAD requests from memory, in front of Django.

Two kinds of visitor may get kept pages: anonymous ones (no cookie but the CSRF one), and
signed-in readers whose session holds nothing but the sign-in (readers.py), each kind with
its own kept pages. A page is answered from this process's memory while no tag it depends
on has changed since it was rendered (versions.py), in this process or any other.
Otherwise Django renders it "in cache mode" (per-visitor bits as holes), and a page the
view marked (api.mark) is kept. Each answer fills the holes for its visitor: a CSRF token
for the visitor's own cookie (set if they have none), the reader's name, and values the
apps register. Everyone else, and every other method, goes to Django untouched.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import os
import string
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, cast

from django.conf import settings
from django.http.cookie import parse_cookie
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.utils.html import escape

from knowhow import languages
from knowhow.outages import is_outage
from knowhow.pagecache import holes
from knowhow.pagecache.api import ANONYMOUS, CACHE_MODE, MARK_HEADER, READER, versions
from knowhow.pagecache.csrf import masked, random_chars
from knowhow.pagecache.edge import keep_for
from knowhow.pagecache.fragments import fragments
from knowhow.pagecache.readers import signed_in_reader
from knowhow.pagecache.store import Entry, Store
from knowhow.pagecache.versions import slot_of
from knowhow.replicas import fresh_reads

logger = logging.getLogger(__name__)

StartResponse = Callable[..., Any]
_ALNUM = frozenset(string.ascii_letters + string.digits)


def forget_dead_processes(run_dir: Path) -> None:
    """Remove the figures (page-cache-<pid>.json) of server processes that have ended, so
    restarts and reloads do not pile them up and `knowhow pagecache` shows the living."""
    for path in run_dir.glob("page-cache-*.json"):
        pid = path.stem.removeprefix("page-cache-")
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            path.unlink(missing_ok=True)
        except OSError:  # alive, another user's: not ours to remove
            continue


_MARK = MARK_HEADER.lower()
# Where the request's cookies, once parsed, wait in the WSGI environ.
_JAR = "knowhow.pagecache.cookies"
# Headers a stored page never replays: each answer sets its own.
_NOT_STORED = {"content-length", "set-cookie", "date", _MARK, "x-cache"}
STATS_EVERY = 5.0
# A visitor's own form fields in an everyone's page, which an edge fills by ESI (edge.py):
# each whole element around its hole, so the include stands between elements, and fields
# side by side come from one include, EDGE_FIELDS_PATH + "csrf,issued.12".
EDGE_FIELDS = {
    "csrf": (b'<input type="hidden" name="csrfmiddlewaretoken" value="', b'">'),
    "issued": (b'<input type="hidden" name="issued" value="', b'" id="id_issued">'),
}
EDGE_FIELDS_PATH = "/-/fields/"


def _cookies(header: str) -> dict[str, str] | None:
    """The cookies as Django reads them, or None when a name comes twice: Django keeps the
    last, so the cache could check one session or CSRF cookie while Django uses another."""
    found = parse_cookie(header)
    chunks = [chunk for chunk in header.split(";") if chunk.strip()]
    names = [chunk.split("=", 1)[0].strip() if "=" in chunk else "" for chunk in chunks]
    return found if len(set(names)) == len(names) else None


def _csrf_secret(value: str | None) -> str | None:
    if value and len(value) == CSRF_SECRET_LENGTH and set(value) <= _ALNUM:
        return value
    return None


def _parse_mark(value: str) -> tuple[list[str], float, bool, str, int]:
    fields = value.split(";")
    tags = fields[0].split()
    options = dict(field.split("=", 1) for field in fields[1:] if "=" in field)
    expires = float(options.get("expires", "0") or 0)
    max_age = int(options.get("max_age", "0") or 0)
    return tags, expires, options.get("shared", "1") == "1", options.get("check", ""), max_age


def _from_edge(environ: dict[str, Any]) -> bool:
    """Whether an edge that fills ESI includes asks (deploy/varnish/knowhow.vcl says so)."""
    return "ESI/1.0" in environ.get("HTTP_SURROGATE_CAPABILITY", "")


def _edge_body(parts: list[bytes | holes.Hole]) -> bytes | None:
    """The page with each form field of the visitor's own as an ESI include (fields side by
    side in one), and the other holes filled as for anyone; None when a hole is not in a
    field of EDGE_FIELDS's exact markup."""
    parts = list(parts)
    chunks: list[bytes | list[str]] = []
    for index, part in enumerate(parts):
        if isinstance(part, bytes):
            chunks.append(part)
            continue
        if part.name not in EDGE_FIELDS:
            filler = holes.FILLERS.get(part.name)
            chunks.append(filler(part.arg, None).encode() if filler else b"")
            continue
        before, after = EDGE_FIELDS[part.name]
        previous = chunks[-1] if chunks else None
        following = parts[index + 1] if index + 1 < len(parts) else None
        if not (isinstance(previous, bytes) and previous.endswith(before)):
            return None
        if not (isinstance(following, bytes) and following.startswith(after)):
            return None
        chunks[-1] = previous[: -len(before)]
        parts[index + 1] = following[len(after) :]
        spec = part.name + (f".{part.arg}" if part.arg else "")
        if chunks[-1] == b"" and len(chunks) > 1 and isinstance(chunks[-2], list):
            chunks.pop()
            cast(list[str], chunks[-1]).append(spec)
        else:
            chunks.append([spec])
    return b"".join(
        part if isinstance(part, bytes)
        else f'<esi:include src="{EDGE_FIELDS_PATH}{",".join(part)}"/>'.encode()
        for part in chunks
    )  # fmt: skip


def _etag_matches(header: str, etag: str) -> bool:
    wanted = etag.removeprefix("W/")
    return any(
        tag.strip() == "*" or tag.strip().removeprefix("W/") == wanted for tag in header.split(",")
    )


def _viewer_etag(etag: str, viewer: Any) -> str:
    """A kept page's validator for one signed-in reader: the page's, and what is theirs."""
    own = f"{viewer.pk}\0{viewer.get_username()}".encode()
    return etag[:-1] + "-" + hashlib.blake2b(own, digest_size=6).hexdigest() + '"'


class PageCache:
    """WSGI middleware: anonymous pages from memory, everything else to Django."""

    def __init__(
        self, app: Callable[..., Iterable[bytes]], clock: Callable[[], float] = time.time
    ) -> None:
        self.app = app
        self.clock = clock
        self.store: Store[Entry] = Store(settings.PAGE_CACHE_BYTES)
        self.enabled = settings.PAGE_CACHE_BYTES > 0
        self.csrf_cookie = settings.CSRF_COOKIE_NAME
        self.session_cookie = settings.SESSION_COOKIE_NAME
        # The reader's chosen language (Django's set_language): kept pages are per language.
        self.language_cookie = settings.LANGUAGE_COOKIE_NAME
        self.static_prefix = "/" + settings.STATIC_URL.lstrip("/")
        # Pictures are files, not pages: straight to Django's media view, never kept here.
        self.media_prefix = "/" + settings.MEDIA_URL.lstrip("/")
        cookie = f"; Path={settings.CSRF_COOKIE_PATH}"
        if settings.CSRF_COOKIE_AGE is not None:  # None: a cookie for the browser's session
            cookie = f"; Max-Age={settings.CSRF_COOKIE_AGE}" + cookie
        if settings.CSRF_COOKIE_DOMAIN:
            cookie += f"; Domain={settings.CSRF_COOKIE_DOMAIN}"
        if settings.CSRF_COOKIE_SECURE:
            cookie += "; Secure"
        if settings.CSRF_COOKIE_HTTPONLY:
            cookie += "; HttpOnly"
        if settings.CSRF_COOKIE_SAMESITE:
            cookie += f"; SameSite={settings.CSRF_COOKIE_SAMESITE}"
        self._cookie_suffix = cookie
        self._stats_path = Path(settings.VAR_DIR) / "run" / f"page-cache-{os.getpid()}.json"
        forget_dead_processes(self._stats_path.parent)
        self._stats_due = 0.0
        self._serving_pid = 0

    # -- the request ----------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if self._serving_pid != os.getpid():  # the first request, in each worker process
            self._serving_pid = os.getpid()
            versions().serve()
        if environ.get("PATH_INFO", "").startswith(EDGE_FIELDS_PATH):
            return self._edge_fields(environ, start_response)
        visitor = self._visitor(environ)
        if visitor is None:
            self.store.stats.bypassed += 1
            return self._django(environ, start_response)
        mode, viewer = visitor
        key = self._key(environ, mode)
        entry = self.store.get(key)
        now = self.clock()
        if entry is not None:
            if now < entry.expires and versions().still_valid(entry.snapshot, entry.slots):
                if self._reader_may_have(entry, viewer):
                    self.store.stats.hits += 1
                    self._maybe_write_stats(now)
                    return self._answer(entry, environ, start_response, "HIT", viewer)
                # Not known to be everyone's page for this reader: render it for them, which
                # also finds out (their own page is not kept; everyone's replaces this one).
            else:
                self.store.drop(key, entry)
                self.store.stats.stale += 1
        self.store.stats.misses += 1
        snapshot = versions().snapshot()
        if snapshot is None:
            return self._django(environ, start_response)
        environ[CACHE_MODE] = mode
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            mark = next((v for k, v in headers if k.lower() == _MARK), None)
            captured.update(status=status, headers=headers, mark=mark, exc_info=exc_info)
            return lambda data: None  # Django never writes through this callable

        # Read after the snapshot and at least as new as the primary is now: a replica that
        # lags behind a write the snapshot has seen never makes a kept page stale.
        with fresh_reads():
            result = self.app(environ, capture)
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        if captured["mark"] is None or not captured["status"].startswith("200"):
            # Not a page to keep; still rendered with holes, which this visitor gets filled.
            return self._live(captured, body, environ, start_response, viewer)
        entry = self._entry(captured, body, snapshot, now, private=mode == READER)
        cookies = [(k, v) for k, v in captured["headers"] if k.lower() == "set-cookie"]
        if cookies:
            entry.edge_tags = None
        if not cookies:  # a page that sets a cookie is that visitor's own
            self.store.put(key, entry)
        self._maybe_write_stats(now)
        return self._answer(entry, environ, start_response, "MISS", viewer, cookies)

    def _live(
        self,
        captured: dict[str, Any],
        body: bytes,
        environ: dict[str, Any],
        start_response: StartResponse,
        viewer: Any,
    ) -> Iterable[bytes]:
        parts = holes.split(body)
        headers = self._without_mark(captured["headers"])
        if not any(isinstance(part, holes.Hole) for part in parts):
            start_response(captured["status"], headers, captured["exc_info"])
            return [body]
        kept = [(k, v) for k, v in headers if k.lower() not in ("content-length", "set-cookie")]
        if not any(k.lower() == "vary" for k, _ in kept):
            kept.append(("Vary", "Cookie"))  # the page holds this visitor's own token
        cookies = [(k, v) for k, v in headers if k.lower() == "set-cookie"]
        page = Entry(
            status=captured["status"],
            headers=kept,
            parts=parts,
            slots=(),
            snapshot=None,
            expires=0.0,
            etag="",
            last_modified="",
            created=0.0,
            size=0,
            has_csrf=holes.has(parts, "csrf"),
        )
        return self._answer(page, environ, start_response, "", viewer, cookies)

    def _visitor(self, environ: dict[str, Any]) -> tuple[str, Any] | None:
        """Which kept pages this request may have: ANONYMOUS, or READER with the signed-in
        reader; None for a live page from Django."""
        if not (
            self.enabled
            and environ.get("REQUEST_METHOD") in ("GET", "HEAD")
            and "HTTP_AUTHORIZATION" not in environ
            and not environ.get("PATH_INFO", "").startswith(self.static_prefix)
            and not environ.get("PATH_INFO", "").startswith(self.media_prefix)
        ):
            return None
        header = environ.get("HTTP_COOKIE", "")
        cookies = _cookies(header) if header else {}
        if cookies is None:
            return None
        environ[_JAR] = cookies
        others = set(cookies) - {self.csrf_cookie, self.language_cookie}
        if not others:
            return ANONYMOUS, None
        if others == {self.session_cookie}:
            try:
                reader = signed_in_reader(cookies[self.session_cookie])
            except (
                Exception
            ) as error:  # a cookie the database cannot even look up: Django's own say
                if not is_outage(error):  # the database away: Django's answer logs it once
                    logger.warning("page cache: session lookup failed", exc_info=True)
                reader = None
            if reader is not None:
                return READER, reader
        return None

    def _reader_may_have(self, entry: Entry, viewer: Any) -> bool:
        """A page kept for readers goes to this one only while its check says nothing of
        theirs differs (their own posts in a thread); unknown means a live page."""
        if viewer is None or not entry.reader_check:
            return True
        return fragments().peek(entry.reader_check.replace("{user}", str(viewer.pk))) == ""

    @staticmethod
    def _key(environ: dict[str, Any], mode: str) -> str:
        # The language Django will render in, decided as LocaleMiddleware decides it: a
        # Spanish page is never kept for, nor given to, an English reader.
        language = languages.from_request(environ.get(_JAR) or {}, environ)
        return "|".join(
            (
                mode,
                language,
                environ.get("wsgi.url_scheme", "http"),
                environ.get("HTTP_X_FORWARDED_PROTO", ""),
                environ.get("HTTP_HOST", ""),
                environ.get("PATH_INFO", ""),
                environ.get("QUERY_STRING", ""),
            )
        )

    def _django(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        def strip(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            return start_response(status, self._without_mark(headers), exc_info)

        return self.app(environ, strip)

    @staticmethod
    def _without_mark(headers: list[tuple[str, str]]) -> list[tuple[str, str]]:
        return [(k, v) for k, v in headers if k.lower() != _MARK]

    # -- storing ----------------------------------------------------------------------------

    def _entry(
        self, captured: dict[str, Any], body: bytes, snapshot: object, now: float, private: bool
    ) -> Entry:
        tags, expires, shared, reader_check, max_age = _parse_mark(captured["mark"])
        parts = holes.split(body)
        has_csrf = holes.has(parts, "csrf")
        headers = [(k, v) for k, v in captured["headers"] if k.lower() not in _NOT_STORED]
        # The kept page's validators are the cache's own: a view's (a feed's newest entry)
        # would go out beside them, two Last-Modified headers that disagree.
        replaced = ("cache-control", "vary", "etag", "last-modified")
        headers = [(k, v) for k, v in headers if k.lower() not in replaced]
        # no-cache: browsers and CDNs may keep the page but ask each time (a 304 from here).
        scope = "public" if shared and not has_csrf and not private else "private"
        if max_age and scope == "public" and not any(isinstance(p, holes.Hole) for p in parts):
            # Everyone's page, whatever cookies come with the request (an embedded widget),
            # reused no longer than it is known to stay right.
            if expires:
                max_age = min(max_age, max(0, int(expires - now)))
            headers.append(("Cache-Control", f"public, max-age={max_age}"))
        else:
            headers.append(("Cache-Control", f"{scope}, no-cache"))
            headers.append(("Vary", "Cookie"))
        if languages.several():
            # Browsers and edges keep one copy per language the reader's browser asks for.
            headers.append(("Vary", "Accept-Language"))
        headers.append(("Surrogate-Key", " ".join(tags)))
        etag = 'W/"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'
        last_modified = email.utils.formatdate(now, usegmt=True)
        headers += [("ETag", etag), ("Last-Modified", last_modified)]
        return Entry(
            status=captured["status"],
            headers=headers,
            parts=parts,
            slots=tuple(sorted({slot_of(tag) for tag in tags})),
            snapshot=snapshot,
            expires=expires or float("inf"),
            etag=etag,
            last_modified=last_modified,
            created=now,
            size=len(body) + 64 * len(headers) + 256,
            has_csrf=has_csrf,
            reader_check=reader_check if private else "",
            edge_tags=tuple(tags) if shared and not private else None,
        )

    # -- answering --------------------------------------------------------------------------

    def _answer(
        self,
        entry: Entry,
        environ: dict[str, Any],
        start_response: StartResponse,
        how: str,
        viewer: Any = None,
        cookies: list[tuple[str, str]] | None = None,
    ) -> Iterable[bytes]:
        if entry.edge_tags is not None and viewer is None and not cookies and _from_edge(environ):
            return self._edge_answer(entry, environ, start_response, how)
        stored = entry.headers
        if entry.etag and viewer is not None:
            # The reader's name and links are filled in: their validator names them too,
            # and a date says nothing of a rename, so only the validator can answer 304.
            etag = _viewer_etag(entry.etag, viewer)
            stored = [(k, etag if k.lower() == "etag" else v) for k, v in stored]
            fresh = _etag_matches(environ.get("HTTP_IF_NONE_MATCH") or "", etag)
        else:
            fresh = bool(entry.etag) and self._not_modified(entry, environ)
        secret = self._csrf_secret_for(environ, cookies) if entry.has_csrf else None
        # A visitor whose copy has a form but who has no CSRF cookie gets the page anew, with
        # a cookie, rather than a 304 that would leave their form unable to post.
        if fresh and not cookies and (secret is not None or not entry.has_csrf):
            self.store.stats.not_modified += 1
            keep = {"etag", "last-modified", "cache-control", "vary", "surrogate-key"}
            headers = [(k, v) for k, v in stored if k.lower() in keep]
            start_response("304 Not Modified", [*headers, ("X-Cache", how)])
            return [b""]
        headers = [*stored, *([("X-Cache", how)] if how else []), *(cookies or [])]
        if entry.has_csrf and secret is None:
            secret = random_chars(CSRF_SECRET_LENGTH)
            headers.append(("Set-Cookie", f"{self.csrf_cookie}={secret}{self._cookie_suffix}"))
        chunks: list[bytes] = []
        for part in entry.parts:
            if isinstance(part, bytes):
                chunks.append(part)
            elif part.name == "csrf":
                chunks.append(masked(secret or "").encode())
            else:
                filler = holes.FILLERS.get(part.name)
                chunks.append(filler(part.arg, viewer).encode() if filler else b"")
        body = b"".join(chunks)
        headers.append(("Content-Length", str(len(body))))
        start_response(entry.status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def _edge_answer(
        self, entry: Entry, environ: dict[str, Any], start_response: StartResponse, how: str
    ) -> Iterable[bytes]:
        """Everyone's page for an edge to keep: the visitor's own form fields as ESI includes
        the edge asks for on each delivery (_edge_fields), no cookie, and how long it may
        keep it. A page with a visitor's own part the edge cannot fill is answered as to
        a visitor, which no edge keeps."""
        body = _edge_body(entry.parts)
        if body is None:
            return self._answer(entry, {**environ, "HTTP_SURROGATE_CAPABILITY": ""},
                                start_response, how)  # fmt: skip
        keep = keep_for(entry.edge_tags or ())
        # A write that committed during this render may have been purged before the edge
        # stores this copy: a page already stale goes out not to be kept.
        stale = entry.snapshot is not None and not versions().still_valid(
            entry.snapshot, entry.slots
        )
        if stale:
            keep = 0
        if keep and entry.expires != float("inf"):
            keep = max(0, min(keep, int(entry.expires - self.clock())))
        esi = any(isinstance(p, holes.Hole) and p.name in EDGE_FIELDS for p in entry.parts)
        control = f"max-age={keep}" + (', content="ESI/1.0"' if esi else "")
        # An edge keeps everyone's page whatever the cookie, but one per language asked.
        headers = [(k, v) for k, v in entry.headers if (k.lower(), v) != ("vary", "Cookie")]
        headers.append(("Surrogate-Control", control))
        if entry.has_csrf:
            headers.append(("X-Knowhow-Holes", "csrf"))
        if entry.etag and self._not_modified(entry, environ):
            self.store.stats.not_modified += 1
            start_response("304 Not Modified", [*headers, ("X-Cache", how)])
            return [b""]
        headers += [("X-Cache", how), ("Content-Length", str(len(body)))]
        start_response(entry.status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    def _edge_fields(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        """One visitor's own form fields for a page an edge keeps: the CSRF token for their
        own cookie, the time their form was shown."""
        specs = environ["PATH_INFO"][len(EDGE_FIELDS_PATH) :].split(",")
        chunks: list[bytes] = []
        for spec in specs[:4]:
            name, _, arg = spec.partition(".")
            value: str | None = None
            if name == "csrf" and not arg:
                jar = _cookies(environ.get("HTTP_COOKIE", "")) or {}
                secret = _csrf_secret(jar.get(self.csrf_cookie))
                value = masked(secret) if secret else ""
            elif name in EDGE_FIELDS and arg.isascii() and arg.isdigit():
                filler = holes.FILLERS.get(name)
                value = filler(arg, None) if filler else None
            if value is None:
                chunks = []
                break
            before, after = EDGE_FIELDS[name]
            chunks += [before, escape(value).encode(), after]
        if not chunks or len(specs) > 4 or environ.get("REQUEST_METHOD") not in ("GET", "HEAD"):
            start_response(
                "404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "0")]
            )
            return [b""]
        body = b"".join(chunks)
        start_response(
            "200 OK",
            [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Cache-Control", "private, no-store"),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]

    def _csrf_secret_for(
        self, environ: dict[str, Any], cookies: list[tuple[str, str]] | None
    ) -> str | None:
        """The CSRF secret the visitor's forms must carry: the one Django is setting in this
        very response (its own forms on the page use it), else the visitor's cookie."""
        for _, header in cookies or []:
            name, _, rest = header.partition("=")
            if name.strip() == self.csrf_cookie:
                return _csrf_secret(rest.split(";", 1)[0].strip())
        jar = environ.get(_JAR)
        if jar is None:
            jar = _cookies(environ.get("HTTP_COOKIE", "")) or {}
        return _csrf_secret(jar.get(self.csrf_cookie))

    @staticmethod
    def _not_modified(entry: Entry, environ: dict[str, Any]) -> bool:
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            return _etag_matches(if_none_match, entry.etag)
        since = environ.get("HTTP_IF_MODIFIED_SINCE")
        if not since:
            return False
        try:
            # Dates count whole seconds: a copy from before a write and this page rendered
            # after it may carry the same one. Only a copy rendered after this page (a later
            # second) is known to be as new.
            return email.utils.parsedate_to_datetime(since).timestamp() > entry.created
        except (TypeError, ValueError):
            return False

    # -- what an operator sees ------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        return {
            "pid": os.getpid(),
            "entries": len(self.store.entries),
            "bytes": self.store.size,
            "budget": self.store.budget,
            **self.store.stats.as_dict(),
        }

    def _maybe_write_stats(self, now: float) -> None:
        if now < self._stats_due:
            return
        self._stats_due = now + STATS_EVERY
        try:
            self._stats_path.parent.mkdir(parents=True, exist_ok=True)
            temporary = self._stats_path.with_suffix(".tmp")
            temporary.write_text(json.dumps({**self.report(), "written": now}))
            temporary.replace(self._stats_path)
        except OSError:
            logger.warning("page cache: could not write %s", self._stats_path, exc_info=True)
