"""CSRF form tokens for kept pages, masked as Django masks them, and the proof that Django
accepts them.

Django's public way to get a token, `django.middleware.csrf.get_token(request)`, costs about
70 µs a call (a random choice and an index lookup per character); a kept page is served in
a few µs, so the page cache masks tokens itself, the same way, with byte tables. Django
does not document its masking, so `agrees_with_django()` asks Django's own CSRF middleware
(public) to accept tokens made here: the check
`pagecache.E001` runs it whenever the site starts, and tests/pagecache/test_csrf_tokens.py
on every test run, so an upgrade that changes the masking cannot break posting silently.
"""

from __future__ import annotations

import os
import threading

from django.conf import settings
from django.core.checks import CheckMessage, Error, register
from django.http import HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH, CsrfViewMiddleware

_CHARS = CSRF_ALLOWED_CHARS.encode()
_N = len(_CHARS)  # 62
# Random bytes below 248 map evenly onto the 62 characters' positions; the rest are dropped.
_EVEN = 256 - 256 % _N
_RANDOM_TO_INDEX = bytes(b % _N if b < _EVEN else 0 for b in range(256))
_DROPPED = bytes(range(_EVEN, 256))
_INDEX_TO_CHAR = _CHARS + bytes(256 - _N)
_CHAR_TO_INDEX = bytes(_CHARS.index(b) if b in _CHARS else 0 for b in range(256))
# A sum of two positions (0 to 122) back to the character at that sum modulo 62.
_SUM_TO_CHAR = bytes(_CHARS[v % _N] if v < 2 * _N else 0 for v in range(256))


# Random positions drawn a few thousand at a time (a system call each time, not per
# answer), each thread from its own (a lock would make threads wait on one another), and
# handed out once each: no two tokens share a mask.
_POOL = 4096
_pools = threading.local()


def _fresh_indices(count: int) -> bytes:
    indices = b""
    while len(indices) < count:
        indices += os.urandom(count + count // 16 + 8).translate(_RANDOM_TO_INDEX, _DROPPED)
    return indices[:count]


def _forget_pools() -> None:
    """A forked process draws its own: the parent's would give both the same masks."""
    global _pools
    _pools = threading.local()


os.register_at_fork(after_in_child=_forget_pools)


def _random_indices(count: int) -> bytes:
    if count > _POOL // 8:  # a long string (a test's): drawn for itself
        return _fresh_indices(count)
    pools = _pools
    pool: bytes = getattr(pools, "pool", b"")
    start: int = getattr(pools, "drawn", 0)
    if start + count > len(pool):
        pool, start = _fresh_indices(_POOL), 0
        pools.pool = pool
    pools.drawn = start + count
    return pool[start : start + count]


def random_chars(count: int) -> str:
    """A random string of CSRF characters, as Django's own but without a call per character."""
    return _random_indices(count).translate(_INDEX_TO_CHAR).decode()


def masked(secret: str) -> str:
    """A CSRF form token for a cookie secret, masked as Django masks it (a fresh mask each
    time, so the page's bytes never repeat the secret); Django's check unmasks it.

    Django adds the positions of the secret's and the mask's characters, modulo 62. The
    positions are bytes below 62, so adding the two as big numbers adds them byte by byte
    with no carry, and a table takes each sum back to its character.
    """
    mask = _random_indices(CSRF_SECRET_LENGTH)
    plain = secret.encode().translate(_CHAR_TO_INDEX)
    total = int.from_bytes(plain, "big") + int.from_bytes(mask, "big")
    cipher = total.to_bytes(CSRF_SECRET_LENGTH, "big").translate(_SUM_TO_CHAR)
    return (mask.translate(_INDEX_TO_CHAR) + cipher).decode()


def django_accepts(secret: str, token: str) -> bool:
    """Whether Django's CSRF middleware lets a form post with this token through, for a
    visitor whose CSRF cookie holds this secret."""
    request = HttpRequest()
    request.method = "POST"
    # Where a refusal is logged from (the test server's name, as tests' requests have it).
    request.META.update({"SERVER_NAME": "testserver", "SERVER_PORT": "80"})
    request.COOKIES[settings.CSRF_COOKIE_NAME] = secret
    request.POST = QueryDict(f"csrfmiddlewaretoken={token}")
    middleware = CsrfViewMiddleware(lambda request: HttpResponse())
    return middleware.process_view(request, lambda request: HttpResponse(), (), {}) is None


def agrees_with_django() -> bool:
    """Whether Django accepts the tokens made here for their own secret (the tests also see
    it refuse them for another: a refusal is logged, which a start should not be)."""
    secret = random_chars(CSRF_SECRET_LENGTH)
    return all(django_accepts(secret, masked(secret)) for _ in range(3))


@register()
def check_masking(**kwargs: object) -> list[CheckMessage]:
    if settings.CSRF_USE_SESSIONS or agrees_with_django():
        return []
    return [
        Error(
            "Django no longer accepts the CSRF tokens the page cache puts in kept pages: "
            "forms on cached pages would be refused.",
            hint="Django's masking changed; update knowhow.pagecache.csrf.masked to match.",
            id="pagecache.E001",
        )
    ]
