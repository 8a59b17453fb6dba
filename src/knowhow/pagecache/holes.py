"""Per-visitor bits of a cached page, filled in for each visitor without a render.

A render meant for the cache writes a marker where a visitor's own value goes (the CSRF
token of a form, the signed time a form was shown). The markers carry a secret made when
the process starts, so text in a post or an article can never pose as one. Fillers are
registered by name: `csrf` in the WSGI layer, and others by the apps that own them (the
form's time, a signed-in viewer's name).

Parts of a page kept for everyone ({% fragment %}) hold holes too, so a part with a form
(a moderator's controls under each post) is kept once and filled for each viewer's live
page (`marking`, `fill_live`).
"""

from __future__ import annotations

import contextlib
import re
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.utils.html import escape

from knowhow.pagecache.api import CACHE_MODE, in_cache_mode

_NONCE = secrets.token_hex(8)
_MARKER = re.compile(rb"@@hole-" + _NONCE.encode() + rb"-([a-z]+)-([0-9]*)@@")

# name -> function of the marker's argument and the signed-in viewer (or None) giving the
# visitor's value, ready to stand in the HTML (escaped by the filler where it must be).
FILLERS: dict[str, Callable[[str, Any], str]] = {}
# name -> function of the marker's argument and a time giving a value everyone who gets it
# before that time may share (an edge keeps the page a second or two, wsgi._edge_answer).
SHARED_FILLERS: dict[str, Callable[[str, float], str]] = {}


@dataclass(frozen=True, slots=True)
class Hole:
    name: str
    arg: str


def marker(name: str, arg: int | str = "") -> str:
    return f"@@hole-{_NONCE}-{name}-{arg}@@"


def hole(request: HttpRequest, name: str, arg: int | str, live: Callable[[], str]) -> str:
    """The marker when this render goes to the cache, else the visitor's own value now."""
    return marker(name, arg) if in_cache_mode(request) else live()


def register(name: str, filler: Callable[[str, Any], str]) -> None:
    if not name.isalpha() or not name.islower():
        raise ValueError(f"hole names are lowercase letters: {name!r}")
    FILLERS[name] = filler


def register_shared(name: str, filler: Callable[[str, float], str]) -> None:
    """A hole whose value an edge may share between visitors for a short while; the filler
    gets the time until which it is shared, which the value must take as its own."""
    if name not in FILLERS:
        raise ValueError(f"register the hole {name!r} first")
    SHARED_FILLERS[name] = filler


# How long one value of a shared hole serves every visitor this process answers: a
# quarter of a second, so a reader waits at most that much longer than the minimum time
# before posting, and a signature is worked out a few times a second, not per answer.
SHARE_SECONDS = 0.25
# The window the values are for (its end), and the values by (name, argument): only the
# current window's, so they never pile up one per page ever shown.
_shared: tuple[float, dict[tuple[str, str], bytes]] = (0.0, {})
_sharing = threading.Lock()


def shared_value(name: str, arg: str, now: float) -> bytes:
    """A shared hole's value for an answer made now, ready to stand in the page: one for
    every answer until the end of the current SHARE_SECONDS, and signed as shown at that
    end, so the time it says a form was shown is never before a visit that got it."""
    global _shared
    # A multiple of a power of two: exact, so a time written with two decimals is too.
    until = (now // SHARE_SECONDS + 1) * SHARE_SECONDS
    window, values = _shared
    if window == until and (value := values.get((name, arg))) is not None:
        return value
    with _sharing:  # one signature per window, however many threads answer at once
        window, values = _shared
        if window != until:
            values = {}
            _shared = (until, values)
        value = values.get((name, arg))
        if value is None:
            value = values[(name, arg)] = escape(SHARED_FILLERS[name](arg, until)).encode()
    return value


def split(body: bytes) -> list[bytes | Hole]:
    """The page as literal bytes and holes, for filling many times over."""
    parts: list[bytes | Hole] = []
    position = 0
    for match in _MARKER.finditer(body):
        parts.append(body[position : match.start()])
        parts.append(Hole(match.group(1).decode(), match.group(2).decode()))
        position = match.end()
    parts.append(body[position:])
    return [part for part in parts if part != b""]


def has(parts: list[bytes | Hole], name: str) -> bool:
    """Whether a split page has a hole of this name."""
    return any(isinstance(part, Hole) and part.name == name for part in parts)


# What CACHE_MODE holds while a kept part of a live page renders: holes, not values.
PART = "part"


@contextlib.contextmanager
def marking(request: HttpRequest) -> Iterator[None]:
    """Within: per-visitor bits render as holes, for a part kept for every viewer."""
    before = request.META.get(CACHE_MODE)
    if not before:
        request.META[CACHE_MODE] = PART
    try:
        yield
    finally:
        if not before:
            request.META.pop(CACHE_MODE, None)


def fill_live(text: str, request: HttpRequest, csrf: Callable[[], str]) -> str:
    """A kept part with its holes filled for this request's viewer, when the page is live; a
    page going to the cache keeps them, for the WSGI layer to fill for each visitor."""
    if "@@hole-" not in text or in_cache_mode(request):
        return text
    user = getattr(request, "user", None)
    viewer = user if user is not None and user.is_authenticated else None
    chunks: list[str] = []
    token = ""  # one masked token serves every form of the page
    for part in split(text.encode()):
        if isinstance(part, bytes):
            chunks.append(part.decode())
        elif part.name == "csrf":
            token = token or csrf()
            chunks.append(token)
        else:
            filler = FILLERS.get(part.name)
            chunks.append(filler(part.arg, viewer) if filler else "")
    return "".join(chunks)
