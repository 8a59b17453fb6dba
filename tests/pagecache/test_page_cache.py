"""Anonymous pages come from memory, carry each visitor's own tokens, and are never stale."""

from __future__ import annotations

import datetime as dt
import email.utils
import html
import re
import time
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone

from knowhow.accounts.services import delete_account
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.forms import read_token
from knowhow.discussion.services import post_comment
from knowhow.moderation import services as moderation
from knowhow.pagecache.csrf import django_accepts
from knowhow.pagecache.holes import SHARE_SECONDS, marker
from tests.pagecache.conftest import Clock, Server
from tests.pages import visible_text
from tests.people import session_of

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
ISSUED = re.compile(r'name="issued" value="([^"]+)"')
SECRET = "A" * 16 + "b" * 16


def _secret(cookie_header: str) -> str:
    return cookie_header.split(";")[0].split("=", 1)[1]


def test_second_anonymous_visit_is_answered_from_memory(server: Server, article: Article) -> None:
    first = server.request(article.get_absolute_url())
    second = server.request(article.get_absolute_url())
    assert (first.status, first.cache) == (200, "MISS")
    assert (second.status, second.cache) == (200, "HIT")
    assert "Discuss this Article" in second.text and article.title in second.text
    assert "@@hole" not in second.text
    assert second.headers["etag"] == first.headers["etag"]


def test_each_visitor_gets_a_csrf_token_for_their_own_cookie(
    server: Server, article: Article
) -> None:
    server.request(article.get_absolute_url())
    newcomer = server.request(article.get_absolute_url())
    (cookie,) = newcomer.cookies
    assert cookie.startswith("csrftoken=") and "SameSite=Lax" in cookie
    token = TOKEN.search(newcomer.text).group(1)  # type: ignore[union-attr]
    assert django_accepts(_secret(cookie), token)

    returning = server.request(article.get_absolute_url(), cookies={"csrftoken": SECRET})
    assert returning.cache == "HIT" and returning.cookies == []
    token = TOKEN.search(returning.text).group(1)  # type: ignore[union-attr]
    assert django_accepts(SECRET, token)
    again = server.request(article.get_absolute_url(), cookies={"csrftoken": SECRET})
    assert TOKEN.search(again.text).group(1) != token  # type: ignore[union-attr]


def test_a_forged_csrf_cookie_gets_a_new_one(server: Server, article: Article) -> None:
    server.request(article.get_absolute_url())
    answer = server.request(article.get_absolute_url(), cookies={"csrftoken": "x<script>"})
    (cookie,) = answer.cookies
    assert "<script>" not in answer.text and len(_secret(cookie)) == 32


def test_form_time_counts_from_this_visitors_own_visit(server: Server, article: Article) -> None:
    server.request(article.get_absolute_url())
    time.sleep(2.5)
    answer = server.request(article.get_absolute_url())
    assert answer.cache == "HIT"
    token = read_token(html.unescape(ISSUED.search(answer.text).group(1)), article.pk)  # type: ignore[union-attr]
    assert token is not None and token.age < 2.0  # issued now, not 2.5 s ago
    # Each visitor's form makes a post of its own: tests/pagecache/test_form_time_shared.py.


def test_a_post_from_a_cached_page_is_accepted(server: Server, article: Article) -> None:
    server.request(article.get_absolute_url())
    page = server.request(article.get_absolute_url())
    assert page.cache == "HIT"
    cookies = {"csrftoken": _secret(page.cookies[0])}
    # The minimum time a person takes to write, from the end of the quarter second whose
    # answers share the form's time (test_form_time_shared.py).
    time.sleep(3.1 + SHARE_SECONDS)
    sent = server.request(
        f"{article.get_absolute_url()}posts/",
        method="POST",
        cookies=cookies,
        headers={"Referer": "http://127.0.0.1:8000/", "Origin": "http://127.0.0.1:8000"},
        data={
            "csrfmiddlewaretoken": TOKEN.search(page.text).group(1),  # type: ignore[union-attr]
            "issued": ISSUED.search(page.text).group(1),  # type: ignore[union-attr]
            "body": "Posted from a page the cache served.",
        },
    )
    assert sent.status == 302, sent.text
    fresh = server.request(article.get_absolute_url())
    assert fresh.cache == "MISS"
    assert "Posted from a page the cache served." in fresh.text


def test_a_post_in_one_process_is_seen_by_another(
    server: Server, other_server: Server, article: Article, make_article: Callable[..., Article]
) -> None:
    untouched = make_article("Why do Knees Creak?")
    for process in (server, other_server):
        process.request(article.get_absolute_url())
        process.request(untouched.get_absolute_url())
        assert process.request(article.get_absolute_url()).cache == "HIT"
    post_comment(article=article, body="Magnesium helped me with night cramps.")
    for process in (server, other_server):
        answer = process.request(article.get_absolute_url())
        assert answer.cache == "MISS"
        assert "Magnesium helped me with night cramps." in answer.text
        assert process.request(untouched.get_absolute_url()).cache == "HIT"


def test_saving_an_article_refreshes_its_page_lists_and_related_pages(
    server: Server, article: Article, make_article: Callable[..., Article]
) -> None:
    neighbour = make_article("Why do Muscles Cramp at Night?")
    pages = [article.get_absolute_url(), neighbour.get_absolute_url(), "/", "/articles/"]
    for path in pages:
        server.request(path)
        assert server.request(path).cache == "HIT"
    article.title = "What is a Muscle Cramp, Really?"
    article.save()
    for path in pages:
        answer = server.request(path)
        assert answer.cache == "MISS", path
        assert "What is a Muscle Cramp, Really?" in answer.text, path


def test_scheduled_article_appears_on_lists_when_its_time_comes(
    server: Server, clock: Clock, article: Article, make_article: Callable[..., Article]
) -> None:
    soon = timezone.now() + dt.timedelta(seconds=3)
    make_article("Why do Bones Ache Before Rain?", published_at=soon)
    first = server.request("/")
    assert "Why do Bones Ache Before Rain?" not in first.text
    assert server.request("/").cache == "HIT"
    time.sleep(3.1)
    clock.now = time.time()
    later = server.request("/")
    assert later.cache == "MISS" and "Why do Bones Ache Before Rain?" in later.text


def test_the_day_turning_over_refreshes_facts_and_on_this_day(
    server: Server, clock: Clock, article: Article
) -> None:
    server.request(article.get_absolute_url())
    assert server.request(article.get_absolute_url()).cache == "HIT"
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    midnight = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    clock.now = midnight.timestamp() + 1
    assert server.request(article.get_absolute_url()).cache == "MISS"


def test_signed_in_readers_share_a_kept_page_with_their_own_name_in_it(
    server: Server,
    article: Article,
    client,
    reader: User,
    outsider: User,  # type: ignore[no-untyped-def]
) -> None:
    mine = {"sessionid": session_of(reader, client), "csrftoken": SECRET}
    first = server.request(article.get_absolute_url(), cookies=mine)
    assert first.cache == "MISS" and "Post as reader" in first.text
    theirs = {"sessionid": session_of(outsider, Client())}
    # A reader's first visit finds out whether the thread is everyone's for them too.
    assert server.request(article.get_absolute_url(), cookies=theirs).cache == "MISS"
    answer = server.request(article.get_absolute_url(), cookies=theirs)
    assert answer.cache == "HIT"
    assert "Post as outsider" in answer.text and ">outsider</a>" in answer.text
    assert "reader" not in visible_text(answer.body).replace("outsider", "")
    assert 'href="/readers/outsider/"' in answer.text
    assert answer.headers["cache-control"] == "private, no-cache"
    (cookie,) = answer.cookies  # their own CSRF cookie, and tokens for it in both forms
    tokens = TOKEN.findall(answer.text)
    assert len(tokens) == 2
    assert all(django_accepts(_secret(cookie), t) for t in tokens)
    assert "@@hole" not in answer.text
    anonymous = server.request(article.get_absolute_url())
    assert "Post as" not in anonymous.text and "Sign in" in anonymous.text


def test_staff_and_readers_with_more_in_their_session_get_live_pages(
    server: Server, article: Article, moderator: User, reader: User
) -> None:
    staff = {"sessionid": session_of(moderator, Client())}
    server.request(article.get_absolute_url(), cookies=staff)
    answer = server.request(article.get_absolute_url(), cookies=staff)
    assert answer.cache == "" and ">Moderation</a>" in answer.text
    store = SessionStore()
    store["own_posts"] = [1]
    store.create()
    poster = {"sessionid": store.session_key or ""}
    server.request(article.get_absolute_url(), cookies=poster)
    assert server.request(article.get_absolute_url(), cookies=poster).cache == ""
    assert server.request(article.get_absolute_url(), cookies={"messages": "x"}).cache == ""


def test_a_reader_with_a_fresh_post_gets_their_own_live_thread(
    server: Server, article: Article, reader: User, outsider: User
) -> None:
    post_comment(article=article, body="Mine to edit for a while.", author=reader)
    author = {"sessionid": session_of(reader, Client())}
    other = {"sessionid": session_of(outsider, Client())}
    for _ in range(2):
        page = server.request(article.get_absolute_url(), cookies=author)
        assert page.cache == "" and 'aria-label="Edit Post 1"' in page.text
    server.request(article.get_absolute_url(), cookies=other)
    kept = server.request(article.get_absolute_url(), cookies=other)
    assert kept.cache == "HIT" and 'aria-label="Edit Post 1"' not in kept.text
    page = server.request(article.get_absolute_url(), cookies=author)
    assert page.cache == "" and 'aria-label="Edit Post 1"' in page.text


def test_a_signed_out_session_gets_the_anonymous_page(
    server: Server, article: Article, reader: User
) -> None:
    browser = Client()
    session = {"sessionid": session_of(reader, browser)}
    server.request(article.get_absolute_url(), cookies=session)
    assert "Post as reader" in server.request(article.get_absolute_url(), cookies=session).text
    browser.post("/accounts/logout/")
    after = server.request(article.get_absolute_url(), cookies=session)
    assert "Post as reader" not in after.text and "Sign in" in after.text


def test_pages_not_kept_still_get_their_tokens_filled(
    server: Server, article: Article, reader: User
) -> None:
    post_comment(article=article, body="A post to reply to.")
    for cookies in ({}, {"sessionid": session_of(reader, Client())}):
        answer = server.request(f"{article.get_absolute_url()}?reply=1", cookies=cookies)
        assert answer.status == 200 and "@@hole" not in answer.text
        assert ISSUED.search(answer.text) and TOKEN.search(answer.text)
        missing = server.request("/articles/no-such-article/", cookies=cookies)
        assert missing.status == 404 and "@@hole" not in missing.text


def test_head_and_conditional_get(server: Server, article: Article) -> None:
    first = server.request(article.get_absolute_url())
    jar = {"csrftoken": _secret(first.cookies[0])}  # a browser with the copy has its cookie
    head = server.request(article.get_absolute_url(), method="HEAD")
    assert head.status == 200 and head.body == b"" and int(head.headers["content-length"]) > 0
    same = server.request(
        article.get_absolute_url(), cookies=jar, headers={"If-None-Match": first.headers["etag"]}
    )
    assert same.status == 304 and same.body == b""
    # A date answers 304 only for a copy rendered after this page: dates count seconds.
    same_second = {"If-Modified-Since": first.headers["last-modified"]}
    assert (
        server.request(article.get_absolute_url(), cookies=jar, headers=same_second).status == 200
    )
    later = {"If-Modified-Since": email.utils.formatdate(time.time() + 2, usegmt=True)}
    assert server.request(article.get_absolute_url(), cookies=jar, headers=later).status == 304
    other = server.request(
        article.get_absolute_url(), cookies=jar, headers={"If-None-Match": 'W/"nope"'}
    )
    assert other.status == 200
    post_comment(article=article, body="A change makes the old copy stale.")
    changed = server.request(
        article.get_absolute_url(), cookies=jar, headers={"If-None-Match": first.headers["etag"]}
    )
    assert changed.status == 200 and "A change makes the old copy stale." in changed.text


def test_headers_tell_caches_and_cdns_what_they_may_keep(server: Server, article: Article) -> None:
    page = server.request(article.get_absolute_url())
    # The article page carries per-visitor form tokens: browsers only.
    assert page.headers["cache-control"] == "private, no-cache"
    assert f"article-{article.pk}" in page.headers["surrogate-key"].split()
    assert f"thread-{article.pk}" in page.headers["surrogate-key"].split()
    printable = server.request(article.get_print_url())
    assert printable.headers["cache-control"] == "public, no-cache"
    assert printable.cookies == []
    assert "x-knowhow-page" not in page.headers


def test_a_reader_cannot_forge_a_hole_in_their_post(server: Server, article: Article) -> None:
    fake = marker("csrf").replace(marker("csrf").split("-")[1], "0123456789abcdef")
    post_comment(article=article, body=f"Look: {fake} and @@hole-issued-1@@")
    server.request(article.get_absolute_url())
    answer = server.request(article.get_absolute_url())
    assert answer.cache == "HIT"
    assert fake in answer.text and "@@hole-issued-1@@" in answer.text


def test_a_reply_form_is_never_kept(server: Server, article: Article) -> None:
    reply = f"{article.get_absolute_url()}?reply=1"
    post_comment(article=article, body="First post, to reply to.")
    server.request(reply)
    answer = server.request(reply)
    assert answer.cache == "" and "Replying to" in answer.text


def test_the_cache_stays_within_its_budget(
    settings,
    clock: Clock,
    make_article: Callable[..., Article],
    transactional_db: None,  # type: ignore[no-untyped-def]
) -> None:
    settings.PAGE_CACHE_BYTES = 80_000
    small = Server(clock)
    articles = [make_article(f"What is Thing {n}?", slug=f"thing-{n}") for n in range(12)]
    for one in articles:
        small.request(one.get_absolute_url())
    report = small.app.report()
    assert report["bytes"] <= 80_000
    assert report["evicted"] > 0 and report["entries"] < 12
    assert small.request(articles[-1].get_absolute_url()).cache == "HIT"


def test_the_page_cache_can_be_turned_off(
    settings,
    clock: Clock,
    article: Article,
    transactional_db: None,  # type: ignore[no-untyped-def]
) -> None:
    settings.PAGE_CACHE_BYTES = 0
    off = Server(clock)
    off.request(article.get_absolute_url())
    answer = off.request(article.get_absolute_url())
    assert answer.status == 200 and answer.cache == ""
    assert TOKEN.search(answer.text) and ISSUED.search(answer.text)


@pytest.mark.parametrize("path", ["/admin/login/", "/accounts/login/", "/static/knowhow/site.css"])
def test_pages_that_are_not_offered_pass_through(server: Server, path: str) -> None:
    server.request(path)
    assert server.request(path).cache in ("", "MISS")


def test_writes_that_bypass_saving_a_post_still_refresh_its_thread(
    server: Server, article: Article, reader: User, moderator: User
) -> None:
    post_comment(article=article, body="Stretch your calves before bed.", author=reader)
    path = article.get_absolute_url()

    def fresh() -> str:
        answer = server.request(path)
        assert answer.cache == "MISS"
        return answer.text

    server.request(path)
    shadow = moderation.ban(kind=Ban.Kind.SHADOW, moderator=moderator, reason="x", user=reader)
    assert "Stretch your calves before bed." not in fresh()
    moderation.lift_ban(ban_record=shadow, moderator=moderator)
    assert "Stretch your calves before bed." in fresh()
    reader.username = "calf_stretcher"
    reader.save()
    assert ">calf_stretcher</a>" in fresh()
    server.request(path)
    reader.last_login = timezone.now()
    reader.save(update_fields=["last_login"])  # signing in changes no page
    assert server.request(path).cache == "HIT"
    delete_account(user=reader, keep_posts=True)
    page = fresh()
    assert "Stretch your calves before bed." in page and "calf_stretcher" not in page


def test_every_page_that_shows_a_title_shows_the_new_one(
    server: Server, article: Article, make_article: Callable[..., Article]
) -> None:
    from knowhow.facts.models import Event, Fact

    neighbour = make_article("Why do Muscles Cramp at Night?")
    fact = Fact.objects.create(text="Cramps are common after long runs.")
    fact.related.add(article)
    today = timezone.localdate()
    event = Event.objects.create(year=1990, month=today.month, day=today.day, text="A race.")
    event.related.add(article)
    pages = [
        article.get_absolute_url(),
        article.get_print_url(),
        neighbour.get_absolute_url(),
        "/",
        "/articles/",
        article.topic.get_absolute_url(),
        article.written_by.get_absolute_url(),
        fact.get_absolute_url(),
        event.get_absolute_url(),
    ]
    for path in pages:
        server.request(path)
        assert server.request(path).cache == "HIT", path
    article.title = "What is a Muscle Cramp, Truly?"
    article.save()
    for path in pages:
        answer = server.request(path)
        assert "What is a Muscle Cramp, Truly?" in answer.text, path
