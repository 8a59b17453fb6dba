"""A hostile visitor against the page cache: what must not get through."""

from __future__ import annotations

import logging

from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore

from knowhow.articles.models import Article, Topic
from knowhow.discussion.services import post_comment
from knowhow.pagecache.fragments import fragments
from tests.pagecache.conftest import Clock, Server
from tests.people import session_of


def test_a_doubled_session_cookie_cannot_store_another_sessions_page_for_readers(
    server: Server, article: Article, reader: User, outsider: User
) -> None:
    # A reader's own session first, and last a session signing no one in (one that
    # remembers an anonymous post elsewhere): were the cache to read the first and Django
    # the last, Django's signed-out page would be kept for every reader.
    path = article.get_absolute_url()
    theirs = {"sessionid": session_of(outsider)}
    server.request(path, cookies=theirs)  # known to see everyone's thread here
    anonymous = SessionStore()
    anonymous["own_posts"] = [12345]
    anonymous.create()
    header = f"sessionid={session_of(reader)}; sessionid={anonymous.session_key}"
    server.request(path, headers={"Cookie": header})
    for _ in range(2):
        answer = server.request(path, cookies=theirs)
        assert answer.status == 200
        assert "Post as outsider" in answer.text and "Sign in" not in answer.text


def test_a_renamed_reader_is_not_told_their_old_page_is_still_good(
    server: Server, article: Article, reader: User
) -> None:
    # The kept page is the same for every reader; their name is filled in. Its validator
    # must cover the name, or a browser keeps showing the old one after a rename.
    path = article.get_absolute_url()
    mine = {"sessionid": session_of(reader), "csrftoken": "A" * 16 + "b" * 16}
    server.request(path, cookies=mine)
    before = server.request(path, cookies=mine)
    assert before.cache == "HIT" and ">reader</a>" in before.text
    reader.username = "night_reader"
    reader.save()
    again = server.request(path, cookies=mine, headers={"If-None-Match": before.headers["etag"]})
    assert again.status == 200 and ">night_reader</a>" in again.text
    same = server.request(path, cookies=mine, headers={"If-None-Match": again.headers["etag"]})
    assert same.status == 304


def test_a_date_from_the_same_second_as_a_write_is_not_answered_304(
    server: Server, article: Article, clock: Clock
) -> None:
    # Last-Modified counts whole seconds: a copy from before a write and the page
    # rendered after it, in the same second, carry the same date.
    path = article.get_absolute_url()
    clock.now = float(int(clock.now)) + 0.1
    old = server.request(path)
    post_comment(article=article, body="Written in the same second.")
    clock.now += 0.5
    since = {"If-Modified-Since": old.headers["last-modified"]}
    answer = server.request(path, headers=since)
    assert answer.status == 200 and "Written in the same second." in answer.text
    clock.now += 0.2
    again = server.request(path, headers=since)
    assert again.status == 200 and "Written in the same second." in again.text


def test_long_addresses_count_against_the_memory_budget(
    settings, clock: Clock, topic: Topic, transactional_db: None
) -> None:  # type: ignore[no-untyped-def]
    # Small pages under long query strings, and no such articles under long slugs: what
    # the addresses themselves take must count, or the budget holds many times its size.
    settings.PAGE_CACHE_BYTES = 200_000
    small = Server(clock)
    logging.disable(logging.WARNING)  # each missing article logs its address
    try:
        for n in range(60):
            small.request(f"/topics/?{'q' * 4000}{n}")
            small.request(f"/articles/{'x' * 4000}{n}/")
    finally:
        logging.disable(logging.NOTSET)
    pages = small.app.store
    assert sum(len(key) + entry.size for key, entry in pages.entries.items()) <= 200_000
    parts = fragments()._kept
    assert sum(len(key) + part.size for key, part in parts.entries.items()) <= 50_000


def test_a_head_first_answers_like_a_get_and_keeps_the_whole_page(
    server: Server, article: Article
) -> None:
    path = article.get_absolute_url()
    head = server.request(path, method="HEAD")
    assert (head.status, head.body) == (200, b"")
    get = server.request(path)
    assert get.status == 200 and get.cache == "HIT"
    assert (
        int(get.headers["content-length"]) == len(get.body) and "Discuss this Article" in get.text
    )
    assert int(head.headers["content-length"]) > 0


def test_an_out_of_range_day_is_not_found(server: Server) -> None:
    assert server.request("/on-this-day/99999999999999999999/1/").status == 404
    assert server.request("/on-this-day/1/99999999999999999999/").status == 404


def test_host_and_forwarded_headers_never_reach_another_visitors_page(
    settings, server: Server, article: Article
) -> None:  # type: ignore[no-untyped-def]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    path = article.get_absolute_url()
    odd = [
        {"Host": "localhost:8000"},
        {"Host": "evil.example"},
        {"X-Forwarded-Host": "evil.example"},
        {"X-Forwarded-Proto": "https"},
    ]
    for headers in odd:
        for _ in range(2):
            server.request(path, headers=headers)
    for _ in range(2):
        plain = server.request(path)
        assert plain.status == 200
        assert 'rel="canonical" href="http://127.0.0.1:8000/' in plain.text
        assert "evil" not in plain.text and "localhost" not in plain.text


def test_a_copy_with_a_form_is_not_confirmed_to_a_visitor_without_a_csrf_cookie(
    server: Server, article: Article
) -> None:
    first = server.request(article.get_absolute_url())
    again = server.request(
        article.get_absolute_url(), headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status == 200 and again.cookies  # a new cookie, and a form that works with it
    assert again.headers["vary"] == "Cookie, Accept-Encoding"
    secret = first.cookies[0].split(";")[0].split("=", 1)[1]
    kept = server.request(
        article.get_absolute_url(),
        cookies={"csrftoken": secret},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert kept.status == 304


def test_pages_filled_but_not_kept_vary_on_cookies(server: Server, article: Article) -> None:
    post_comment(article=article, body="A post to reply to.")
    answer = server.request(f"{article.get_absolute_url()}?reply=1")
    assert answer.status == 200 and "Cookie" in answer.headers["vary"]


def test_a_page_with_djangos_own_form_and_a_hole_sets_one_csrf_cookie(
    server: Server, reader: User
) -> None:
    import re

    from knowhow.pagecache.csrf import django_accepts

    # Signed in, but the CSRF cookie is gone: the settings form is Django's own, the
    # sign-out form in the header is a hole. Both must carry the one secret set now.
    answer = server.request("/accounts/settings/", cookies={"sessionid": session_of(reader)})
    assert answer.status == 200
    set_csrf = [c.strip() for c in answer.cookies if c.strip().startswith("csrftoken=")]
    assert len(set_csrf) == 1
    secret = set_csrf[0].split(";")[0].split("=", 1)[1]
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', answer.text)
    assert len(tokens) >= 2
    assert all(django_accepts(secret, token) for token in tokens)
