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
from typing import Any

from django.conf import settings
from django.http.cookie import parse_cookie
from django.middleware.csrf import CSRF_SECRET_LENGTH
from django.utils.html import escape

from knowhow import languages
from knowhow.outages import is_outage
from knowhow.pagecache import compress, holes
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
# How long an edge may keep a page with the form's time in it, which everyone who gets the
# page in that time shares (_edge_answer).
EDGE_SHARED_SECONDS = 2
# Holes whose values always have the same length for the same argument (brotli, compress.py).
_FIXED_LENGTH = frozenset({"issued"})


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


# The one place a CSRF token may stand in a page an edge keeps, left empty there for the
# page's script (knowhow/form-token.js) to fill: a form's hidden field, in this markup.
_CSRF_FIELD = (b'<input type="hidden" name="csrfmiddlewaretoken" value="', b'">')


def _edge_body(parts: list[bytes | holes.Hole], until: float) -> tuple[bytes | None, bool]:
    """The page as an edge keeps it for everyone: the CSRF token left empty (the page's
    script fills it from the visitor's cookie when a form is sent; without script, the
    post is asked for once more: site.views.csrf_failure), a value everyone may share for
    a while (the form's time) written in, good from `until`, and the other holes filled as
    for anyone; None when a token stands anywhere but in a form field of _CSRF_FIELD's
    markup (the script fills only those). And whether a shared value was written in."""
    chunks: list[bytes] = []
    shared = False
    for index, part in enumerate(parts):
        if isinstance(part, bytes):
            chunks.append(part)
        elif part.name == "csrf":
            following = parts[index + 1] if index + 1 < len(parts) else None
            if not (chunks and chunks[-1].endswith(_CSRF_FIELD[0])):
                return None, shared
            if not (isinstance(following, bytes) and following.startswith(_CSRF_FIELD[1])):
                return None, shared
        elif part.name in holes.SHARED_FILLERS:
            chunks.append(escape(holes.SHARED_FILLERS[part.name](part.arg, until)).encode())
            shared = True
        else:
            filler = holes.FILLERS.get(part.name)
            chunks.append(filler(part.arg, None).encode() if filler else b"")
    return b"".join(chunks), shared


def _etag_matches(header: str, etag: str) -> bool:
    wanted = etag.removeprefix("W/")
    return any(
        tag.strip() == "*" or tag.strip().removeprefix("W/") == wanted for tag in header.split(",")
    )


def _viewer_etag(etag: str, viewer: Any) -> str:
    """A kept page's validator for one signed-in reader: the page's, and what is theirs."""
    own = f"{viewer.pk}\0{viewer.get_username()}".encode()
    return etag[:-1] + "-" + hashlib.blake2b(own, digest_size=6).hexdigest() + '"'


def _compressed(
    parts: list[bytes | holes.Hole], headers: list[tuple[str, str]]
) -> tuple[compress.Gzip | None, compress.Brotli | None]:
    """A kept page's gzip and brotli pieces; none for a page not in HTML, text, JSON or
    XML, or one a view already encoded."""
    kind = next((v for k, v in headers if k.lower() == "content-type"), "").lower()
    if any(k.lower() == "content-encoding" for k, _ in headers) or not kind.startswith(
        ("text/", "application/json", "application/xml", "application/rss", "application/atom")
    ):
        return None, None
    gzip = compress.gzip_pieces(parts)
    # Brotli splices only values of a length known now: the CSRF token and the form's time
    # (a reader's name is not, so readers' pages go out in gzip).
    lengths = []
    for part in parts:
        if isinstance(part, holes.Hole):
            if part.name == "csrf":
                lengths.append(2 * CSRF_SECRET_LENGTH)
            elif part.name in _FIXED_LENGTH and (filler := holes.FILLERS.get(part.name)):
                lengths.append(len(filler(part.arg, None).encode()))
            else:
                return gzip, None
    return gzip, compress.brotli_pieces(parts, lengths)


def _encoding_of(entry: Entry, environ: dict[str, Any]) -> str:
    """The Content-Encoding a kept page goes out in to this visitor (as _encoded picks it,
    but for a brotli hole of another length, which goes out in gzip with gzip's ETag)."""
    if entry.gzip is None:
        return ""
    for encoding in compress.accepted(environ.get("HTTP_ACCEPT_ENCODING", "")):
        if encoding == "gzip" or entry.br is not None:
            return encoding
    return ""


def _encoded_etag(etag: str, encoding: str) -> str:
    """Each encoding's bytes differ, and so does their validator."""
    return etag[:-1] + f"-{encoding}" + '"' if etag and encoding else etag


def _headers(stored: list[tuple[str, str]], how: str, encoding: str) -> list[tuple[str, str]]:
    """A kept page's headers as answered: how it was found (X-Cache), and for a compressed
    answer its encoding and an ETag of its own."""
    headers = [*stored, *([("X-Cache", how)] if how else [])]
    if encoding:
        headers = [(k, _encoded_etag(v, encoding) if k.lower() == "etag" else v)
                   for k, v in headers]  # fmt: skip
        headers.append(("Content-Encoding", encoding))
    return headers


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
            holes=tuple(part for part in parts if isinstance(part, holes.Hole)),
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
        vary = [v for k, v in headers if k.lower() == "vary"]
        headers = [(k, v) for k, v in headers if k.lower() != "vary"]
        headers.append(("Vary", ", ".join([*vary, "Accept-Encoding"])))
        etag = 'W/"' + hashlib.blake2b(body, digest_size=10).hexdigest() + '"'
        last_modified = email.utils.formatdate(now, usegmt=True)
        headers += [("ETag", etag), ("Last-Modified", last_modified)]
        gzip, br = _compressed(parts, captured["headers"])
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
            size=len(body)
            + 64 * len(headers)
            + 256
            + (gzip.size if gzip else 0)
            + (br.size if br else 0),
            has_csrf=has_csrf,
            holes=tuple(part for part in parts if isinstance(part, holes.Hole)),
            reader_check=reader_check if private else "",
            edge_tags=tuple(tags) if shared and not private else None,
            gzip=gzip,
            br=br,
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
        encoding = _encoding_of(entry, environ)
        if entry.etag and viewer is not None:
            # The reader's name and links are filled in: their validator names them too,
            # and a date says nothing of a rename, so only the validator can answer 304.
            etag = _viewer_etag(entry.etag, viewer)
            stored = [(k, etag if k.lower() == "etag" else v) for k, v in stored]
            fresh = _etag_matches(
                environ.get("HTTP_IF_NONE_MATCH") or "", _encoded_etag(etag, encoding)
            )
        else:
            fresh = bool(entry.etag) and self._not_modified(entry, environ, encoding)
        secret = self._csrf_secret_for(environ, cookies) if entry.has_csrf else None
        # A visitor whose copy has a form but who has no CSRF cookie gets the page anew, with
        # a cookie, rather than a 304 that would leave their form unable to post.
        if fresh and not cookies and (secret is not None or not entry.has_csrf):
            self.store.stats.not_modified += 1
            keep = {"etag", "last-modified", "cache-control", "vary", "surrogate-key"}
            headers = [(k, _encoded_etag(v, encoding) if k.lower() == "etag" else v)
                       for k, v in stored if k.lower() in keep]  # fmt: skip
            start_response("304 Not Modified", [*headers, ("X-Cache", how)])
            return [b""]
        if entry.has_csrf and secret is None:
            secret = random_chars(CSRF_SECRET_LENGTH)
            cookies = [
                *(cookies or []),
                ("Set-Cookie", f"{self.csrf_cookie}={secret}{self._cookie_suffix}"),
            ]
        values: list[bytes] = []
        token = b""
        now = time.time()  # the clock a posted form's time is read against
        for part in entry.holes:
            if part.name == "csrf":
                # Masked anew for each answer, compressed or not (BREACH): the page's
                # bytes never repeat the visitor's secret. One token serves its every form.
                token = token or masked(secret or "").encode()
                values.append(token)
            elif part.name in holes.SHARED_FILLERS:
                # The form's time: one signed value for every answer of a quarter second.
                values.append(holes.shared_value(part.name, part.arg, now))
            else:
                filler = holes.FILLERS.get(part.name)
                values.append(filler(part.arg, viewer).encode() if filler else b"")
        body, encoding = self._encoded(entry, values, environ)
        if viewer is None:  # the same for every anonymous visitor: worked out once
            kept = entry.answer_headers.get((how, encoding))
            if kept is None:
                kept = entry.answer_headers[(how, encoding)] = _headers(stored, how, encoding)
        else:
            kept = _headers(stored, how, encoding)
        headers = [*kept, *(cookies or []), ("Content-Length", str(len(body)))]
        start_response(entry.status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

    @staticmethod
    def _encoded(entry: Entry, values: list[bytes], environ: dict[str, Any]) -> tuple[bytes, str]:
        """The page with these values in its holes, compressed as the visitor best takes
        it (their Accept-Encoding), and its Content-Encoding ("" for none)."""
        if entry.gzip is not None:
            for encoding in compress.accepted(environ.get("HTTP_ACCEPT_ENCODING", "")):
                if encoding == "br" and entry.br is not None:
                    filled = entry.br.fill(values)
                    if filled is not None:
                        return filled, "br"
                elif encoding == "gzip":
                    return entry.gzip.fill(values), "gzip"
        filling = iter(values)
        return b"".join(p if isinstance(p, bytes) else next(filling) for p in entry.parts), ""

    def _edge_answer(
        self, entry: Entry, environ: dict[str, Any], start_response: StartResponse, how: str
    ) -> Iterable[bytes]:
        """Everyone's page for an edge to keep (_edge_body), no cookie, and how long it may
        keep it. A page with the form's time in it (one value for everyone) may be kept
        EDGE_SHARED_SECONDS, and the value is signed as shown at the end of that and a
        second more: the minimum time to post never counts from before the visit."""
        until = self.clock() + EDGE_SHARED_SECONDS + 1
        body, shared = _edge_body(entry.parts, until)
        if body is None:  # not everyone's page after all: answered as to a visitor
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
        if shared:
            keep = min(keep, EDGE_SHARED_SECONDS)
        control = f"max-age={keep}"
        headers = [(k, v) for k, v in entry.headers if k.lower() != "vary"]
        if languages.several():
            # An edge keeps everyone's page whatever the cookie, but one per language asked.
            headers.append(("Vary", "Accept-Language"))
        headers.append(("Surrogate-Control", control))
        if entry.has_csrf:
            headers.append(("X-Knowhow-Holes", "csrf"))
        if shared:  # the copy the edge holds has an older form time: never confirmed
            headers = [(k, v) for k, v in headers if k.lower() not in ("etag", "last-modified")]
        elif entry.etag and self._not_modified(entry, environ):
            self.store.stats.not_modified += 1
            start_response("304 Not Modified", [*headers, ("X-Cache", how)])
            return [b""]
        headers += [("X-Cache", how), ("Content-Length", str(len(body)))]
        start_response(entry.status, headers)
        return [b""] if environ.get("REQUEST_METHOD") == "HEAD" else [body]

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
    def _not_modified(entry: Entry, environ: dict[str, Any], encoding: str = "") -> bool:
        if_none_match = environ.get("HTTP_IF_NONE_MATCH")
        if if_none_match is not None:
            return _etag_matches(if_none_match, _encoded_etag(entry.etag, encoding))
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
