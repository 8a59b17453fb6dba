"""The CSRF tokens the page cache writes into kept pages are Django's own, checked against
Django itself on every run: an upgrade that changes Django's masking fails here (and the
site's start-up check says so) instead of refusing readers' posts."""

from __future__ import annotations

import os
import threading
from collections import Counter

import pytest
from django.core.checks import run_checks
from django.middleware.csrf import (
    CSRF_ALLOWED_CHARS,
    CSRF_SECRET_LENGTH,
    CSRF_TOKEN_LENGTH,
    get_token,
)
from django.test import RequestFactory

from knowhow.pagecache import csrf


def test_django_accepts_a_kept_pages_token_for_the_visitors_own_cookie() -> None:
    secret = csrf.random_chars(CSRF_SECRET_LENGTH)
    for _ in range(50):
        assert csrf.django_accepts(secret, csrf.masked(secret))


def test_secrets_at_the_edges_of_the_alphabet_are_accepted_too() -> None:
    # The byte tables' first and last characters, where an off-by-one would show.
    for char in "09azAZ":
        assert csrf.django_accepts(char * CSRF_SECRET_LENGTH, csrf.masked(char * 32))


def test_django_refuses_it_for_anyone_elses_cookie() -> None:
    token = csrf.masked(csrf.random_chars(CSRF_SECRET_LENGTH))
    assert not csrf.django_accepts(csrf.random_chars(CSRF_SECRET_LENGTH), token)


def test_a_kept_token_looks_like_djangos_own() -> None:
    secret = csrf.random_chars(CSRF_SECRET_LENGTH)
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = secret
    ours, djangos = csrf.masked(secret), get_token(request)
    assert len(ours) == len(djangos) == CSRF_TOKEN_LENGTH
    assert set(ours) <= set(CSRF_ALLOWED_CHARS)
    # Django accepts its own token by the same test, so the test itself is sound.
    assert csrf.django_accepts(secret, djangos)


def test_every_token_has_a_fresh_mask_so_a_page_never_repeats_the_secret() -> None:
    secret = csrf.random_chars(CSRF_SECRET_LENGTH)
    tokens = {csrf.masked(secret) for _ in range(100)}
    assert len(tokens) == 100
    assert not any(secret in token for token in tokens)


def test_the_masks_characters_are_evenly_drawn() -> None:
    drawn = Counter(csrf.random_chars(62 * 200))
    assert set(drawn) == set(CSRF_ALLOWED_CHARS)
    assert max(drawn.values()) < 3 * min(drawn.values())


def test_the_start_up_check_passes_with_this_django() -> None:
    assert [m for m in run_checks() if m.id == "pagecache.E001"] == []


def test_the_start_up_check_speaks_up_when_django_stops_accepting(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(csrf, "masked", lambda secret: secret + secret)
    assert [m.id for m in csrf.check_masking()] == ["pagecache.E001"]


def test_no_two_answers_share_a_mask_whichever_thread_masks_them() -> None:
    # Masks come from random bytes drawn in batches: each thread's are its own, each once.
    secret = csrf.random_chars(CSRF_SECRET_LENGTH)
    masks: list[list[str]] = [[] for _ in range(4)]

    def answer(found: list[str]) -> None:
        for _ in range(1500):  # several batches each
            found.append(csrf.masked(secret)[:CSRF_SECRET_LENGTH])

    threads = [threading.Thread(target=answer, args=(found,)) for found in masks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    drawn = [mask for found in masks for mask in found]
    assert len(drawn) == 6000 and len(set(drawn)) == 6000


def test_a_forked_server_process_draws_masks_of_its_own() -> None:
    secret = csrf.random_chars(CSRF_SECRET_LENGTH)
    csrf.masked(secret)  # this process holds a batch of random bytes
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # pragma: no cover - the child process
        os.write(writing, "".join(csrf.masked(secret) for _ in range(20)).encode())
        os._exit(0)
    os.close(writing)
    with os.fdopen(reading) as pipe:
        theirs = pipe.read()
    os.waitpid(child, 0)
    ours = "".join(csrf.masked(secret) for _ in range(20))
    size = len(ours) // 20
    assert {ours[n : n + size] for n in range(0, len(ours), size)}.isdisjoint(
        {theirs[n : n + size] for n in range(0, len(theirs), size)}
    )
