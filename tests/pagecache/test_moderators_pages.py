"""A moderator's page is live, theirs alone: it never comes from kept pages nor goes into
them, and what a moderator does on it reaches every kept page at once. Their thread, with
its controls, is a part kept for moderators only: each gets their own forms' tokens in it,
and one with a post of their own still to change gets their own thread."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment, submit_post
from knowhow.moderation.models import CannedReason
from knowhow.pagecache.csrf import django_accepts
from tests.pagecache.conftest import Server
from tests.people import make_account, session_of, signed_in

CONTROLS = 'class="mod-controls"'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
TROLLING = "Everyone here is an idiot."


@pytest.fixture
def warden(transactional_db: None) -> User:
    """A moderator by permission alone, not staff: staff never get kept pages anyway."""
    user = make_account("warden")
    user.user_permissions.add(Permission.objects.get(codename="moderate_post"))
    return user


@pytest.fixture
def trolling(article: Article) -> Post:
    post_comment(article=article, body="Stretching before bed helped me.")
    return post_comment(article=article, body=TROLLING)


@pytest.fixture
def held(article: Article, settings: Any) -> Post:
    settings.HOLD_ANONYMOUS_POSTS = True
    outcome = submit_post(
        article=article, body="Held for a moderator.", address=address_of("203.0.113.5")
    )
    assert outcome.held
    return outcome.post


def test_a_moderators_thread_is_never_kept_for_readers_or_visitors(
    server: Server, article: Article, trolling: Post, held: Post, warden: User, reader: User
) -> None:
    path = article.get_absolute_url()
    moderator = {"sessionid": session_of(warden)}
    for _ in range(2):
        page = server.request(path, cookies=moderator)
        assert page.status == 200 and page.cache != "HIT"
        assert CONTROLS in page.text and "Held for a moderator." in page.text
        assert "no-store" in page.headers["cache-control"]
        assert "private" in page.headers["cache-control"]
    for cookies in ({"sessionid": session_of(reader)}, {}):
        for _ in range(2):
            other = server.request(path, cookies=cookies)
            assert other.status == 200
            assert CONTROLS not in other.text and "/moderation/" not in other.text
            assert "Held for a moderator." not in other.text and TROLLING in other.text


def test_a_moderator_never_gets_a_kept_page(
    server: Server, article: Article, trolling: Post, held: Post, warden: User, reader: User
) -> None:
    path = article.get_absolute_url()
    readers = {"sessionid": session_of(reader)}
    server.request(path)
    server.request(path, cookies=readers)
    assert server.request(path).cache == "HIT"
    assert server.request(path, cookies=readers).cache == "HIT"
    page = server.request(path, cookies={"sessionid": session_of(warden)})
    assert page.cache != "HIT"
    assert CONTROLS in page.text and "Held for a moderator." in page.text
    assert "Held for review" in page.text
    after = server.request(path)
    assert after.cache == "HIT" and CONTROLS not in after.text


def _remove(client: Client, post: Post, article: Article) -> None:
    client.post(
        reverse("moderation-post-action", args=[post.pk]),
        {"action": "remove", "note": "Insults.", "next": article.get_absolute_url()},
    )


def _edit(client: Client, post: Post, article: Article) -> None:
    client.post(
        reverse("moderation-edit", args=[post.pk]),
        {"body": "[An insult was removed.]", "note": "Insults.", "next": "/", "save": "1"},
    )


def _shadow(client: Client, post: Post, article: Article) -> None:
    client.post(
        reverse("moderation-ban-post", args=[post.pk]),
        {"kind": "shadow", "reason": "Insults.", "expires": "7", "next": "/", "confirm": "yes"},
    )


@pytest.mark.parametrize("act", [_remove, _edit, _shadow])
def test_what_a_moderator_does_on_the_thread_shows_on_every_kept_page_at_once(
    make_server: Any,
    article: Article,
    warden: User,
    reader: User,
    act: Any,
) -> None:
    troll = make_account("troll")
    post_comment(article=article, body="Stretching before bed helped me.")
    trolling = post_comment(article=article, body=TROLLING, author=troll)
    servers = [make_server(), make_server()]  # two processes, each with its own memory
    path = article.get_absolute_url()
    readers = {"sessionid": session_of(reader)}
    for server in servers:
        for cookies in ({}, readers, {}, readers):
            server.request(path, cookies=cookies)
        assert server.request(path).cache == "HIT"
        assert server.request(path, cookies=readers).cache == "HIT"
    assert CONTROLS in servers[0].request(path, cookies={"sessionid": session_of(warden)}).text
    act(signed_in(warden), trolling, article)
    for server in servers:
        for cookies in ({}, readers):
            page = server.request(path, cookies=cookies)
            assert page.status == 200 and page.cache != "HIT"
            assert TROLLING not in page.text
            assert "Stretching before bed helped me." in page.text


def test_a_moderator_who_is_not_staff_never_shares_a_readers_kept_page(
    server: Server, article: Article, warden: User, reader: User
) -> None:
    # Their menu leads to the moderation pages; a reader's must not, whoever came first.
    moderator = {"sessionid": session_of(warden)}
    readers = {"sessionid": session_of(reader)}
    for path in ("/", article.get_absolute_url()):
        for _ in range(2):
            mine = server.request(path, cookies=moderator)
            assert mine.cache != "HIT" and ">Moderation</a>" in mine.text
        for _ in range(2):
            theirs = server.request(path, cookies=readers)
            assert ">Moderation</a>" not in theirs.text
        assert theirs.cache == "HIT"
        assert ">Moderation</a>" in server.request(path, cookies=moderator).text


def test_a_readers_kept_page_asks_the_database_nothing(
    server: Server, article: Article, reader: User
) -> None:
    # Whether the reader moderates is known without asking on every page.
    path = article.get_absolute_url()
    readers = {"sessionid": session_of(reader)}
    server.request(path, cookies=readers)
    server.request(path, cookies=readers)
    with CaptureQueriesContext(connection) as asked:
        answer = server.request(path, cookies=readers)
    assert answer.cache == "HIT"
    assert asked.captured_queries == []


def test_a_reader_made_moderator_or_unmade_sees_it_on_the_next_page(
    server: Server, article: Article, reader: User
) -> None:
    path = article.get_absolute_url()
    readers = {"sessionid": session_of(reader)}

    def moderates() -> bool:
        page = server.request(path, cookies=readers)
        assert (CONTROLS in page.text) == (">Moderation</a>" in page.text)
        return CONTROLS in page.text

    post_comment(article=article, body="Stretching before bed helped me.")
    permission = Permission.objects.get(codename="moderate_post")
    assert not moderates() and not moderates()
    reader.user_permissions.add(permission)
    assert moderates()
    reader.user_permissions.remove(permission)
    assert not moderates()
    group = Group.objects.create(name="Moderators")
    reader.groups.add(group)
    assert not moderates()
    group.permissions.add(permission)  # the group gains it: its members with it
    assert moderates()
    group.delete()
    assert not moderates() and not moderates()


def test_an_undone_removal_shows_again_on_every_kept_page_at_once(
    make_server: Any, article: Article, warden: User
) -> None:
    post_comment(article=article, body="Stretching before bed helped me.")
    trolling = post_comment(article=article, body=TROLLING)
    servers = [make_server(), make_server()]
    path = article.get_absolute_url()
    moderator = signed_in(warden)
    _remove(moderator, trolling, article)
    for server in servers:
        server.request(path)
        kept = server.request(path)
        assert kept.cache == "HIT" and TROLLING not in kept.text
    entry = trolling.moderation.get(action="remove")
    moderator.post(reverse("moderation-undo", args=[entry.pk]), {"undo": "1", "note": "Fine."})
    for server in servers:
        page = server.request(path)
        assert page.status == 200 and page.cache != "HIT"
        assert TROLLING in page.text
        assert 'id="post-2"' in page.text and ">Post <bdi>2</bdi></a>" in page.text


def test_a_reader_banned_while_their_page_is_kept_is_told_on_the_next_one(
    make_server: Any, article: Article, warden: User
) -> None:
    troll = make_account("troll")
    post_comment(article=article, body="Stretching before bed helped me.")
    server = make_server()
    path = article.get_absolute_url()
    theirs = {"sessionid": session_of(troll)}
    server.request(path, cookies=theirs)
    kept = server.request(path, cookies=theirs)
    assert kept.cache == "HIT" and 'name="body"' in kept.text
    signed_in(warden).post(
        reverse("moderation-bans"),
        {
            "reader-username": "troll",
            "reader-kinds": "account",
            "reader-reader_reason": "Insults.",
            "reader-expires": "7",
            "confirm": "yes",
        },
    )
    page = server.request(path, cookies=theirs)
    assert page.cache != "HIT"
    assert "You cannot post at the moment" in page.text and 'name="body"' not in page.text
    # Nobody else is shown their notice, from memory or not.
    for _ in range(2):
        other = server.request(path)
        assert "You cannot post at the moment" not in other.text and 'name="body"' in other.text


def _moderator(name: str) -> User:
    user = make_account(name)
    user.user_permissions.add(Permission.objects.get(codename="moderate_post"))
    return user


def test_moderators_share_their_kept_thread_each_with_their_own_tokens(
    server: Server, article: Article, trolling: Post, held: Post, warden: User
) -> None:
    keeper = _moderator("keeper")
    path = article.get_absolute_url()
    pages = {}
    for user, secret in ((warden, "W" * 32), (keeper, "K" * 32), (warden, "W" * 32)):
        cookies = {"sessionid": session_of(user), "csrftoken": secret}
        with CaptureQueriesContext(connection) as asked:
            page = server.request(path, cookies=cookies)
        assert page.status == 200 and "no-store" in page.headers["cache-control"]
        assert CONTROLS in page.text and "Held for a moderator." in page.text
        assert "@@hole" not in page.text
        tokens = TOKEN.findall(page.text)
        assert len(tokens) >= 4  # a decision form under each post, and the post form
        assert all(django_accepts(secret, token) for token in tokens)
        other = "K" * 32 if secret == "W" * 32 else "W" * 32
        assert not any(django_accepts(other, token) for token in tokens)
        pages[user.username] = (page, len(asked.captured_queries))
    # The second moderator's thread came from memory: it asked for no post.
    assert not any("discussion_post" in q["sql"] for q in asked.captured_queries)


def test_a_decision_from_the_kept_thread_is_taken_and_shows_at_once(
    make_server: Any, article: Article, trolling: Post, warden: User
) -> None:
    keeper = _moderator("keeper")
    servers = [make_server(), make_server()]
    path = article.get_absolute_url()
    for server in servers:
        for user in (warden, keeper):
            page = server.request(path, cookies={"sessionid": session_of(user)})
            assert TROLLING in page.text and CONTROLS in page.text
    browser = Client()
    secret = "S" * 32
    cookies = {"sessionid": session_of(keeper, browser), "csrftoken": secret}
    page = servers[1].request(path, cookies=cookies)
    form = page.text[page.text.index(f'action="/moderation/posts/{trolling.pk}/action/"') :]
    token = TOKEN.search(form)
    assert token is not None
    done = servers[1].request(
        f"/moderation/posts/{trolling.pk}/action/",
        method="POST",
        cookies=cookies,
        headers={"Referer": "http://127.0.0.1:8000" + path},
        data={"csrfmiddlewaretoken": token.group(1), "action": "remove", "next": path},
    )
    assert done.status == 302
    for server in servers:
        for user in (warden, keeper):
            page = server.request(path, cookies={"sessionid": session_of(user)})
            assert "A post here was removed by a moderator." in page.text
            assert f"/moderation/posts/{trolling.pk}/undo/" in page.text
        assert TROLLING not in server.request(path).text


def test_a_moderators_own_post_gets_its_edit_links_until_the_window_ends(
    server: Server, article: Article, trolling: Post, warden: User, settings: Any
) -> None:
    keeper = _moderator("keeper")
    mine = post_comment(article=article, body="A moderator says hello.", author=warden)
    path = article.get_absolute_url()
    edit = f'aria-label="Edit Post {mine.number}"'
    for _ in range(2):
        theirs = server.request(path, cookies={"sessionid": session_of(keeper)})
        assert CONTROLS in theirs.text and edit not in theirs.text
        page = server.request(path, cookies={"sessionid": session_of(warden)})
        assert CONTROLS in page.text and edit in page.text
    # The window ends with no write: the links go, on the next page.
    window = dt.timedelta(minutes=settings.DISCUSSION_EDIT_WINDOW_MINUTES, seconds=1)
    Post.objects.filter(pk=mine.pk).update(created_at=mine.created_at - window)
    page = server.request(path, cookies={"sessionid": session_of(warden)})
    assert CONTROLS in page.text and edit not in page.text
    assert "A moderator says hello." in page.text


def test_a_new_set_reason_shows_at_once_in_every_moderators_thread(
    make_server: Any, article: Article, trolling: Post, warden: User
) -> None:
    servers = [make_server(), make_server()]
    path = article.get_absolute_url()
    cookies = {"sessionid": session_of(warden)}
    for server in servers:
        server.request(path, cookies=cookies)
    signed_in(warden).post(
        reverse("moderation-reasons"), {"label": "Medical misinformation", "add": "1"}
    )
    assert CannedReason.objects.filter(label="Medical misinformation").exists()
    for server in servers:
        assert "Medical misinformation" in server.request(path, cookies=cookies).text
    CannedReason.objects.filter(label="Medical misinformation").get().delete()
    for server in servers:
        assert "Medical misinformation" not in server.request(path, cookies=cookies).text


def test_a_moderator_whose_permission_is_taken_gets_no_controls_at_once(
    make_server: Any, article: Article, trolling: Post, warden: User
) -> None:
    servers = [make_server(), make_server()]
    path = article.get_absolute_url()
    cookies = {"sessionid": session_of(warden)}
    for server in servers:
        for _ in range(2):
            assert CONTROLS in server.request(path, cookies=cookies).text
    warden.user_permissions.clear()
    for server in servers:
        page = server.request(path, cookies=cookies)
        assert CONTROLS not in page.text and ">Moderation</a>" not in page.text
        assert server.request("/moderation/", cookies=cookies).status == 403
