"""The queue is kept rendered for every moderator until anything it shows changes: each one
gets their own forms' tokens in it, one who has just decided gets their own queue (with
Undo), and every change shows on every moderator's next page."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import services
from knowhow.moderation.models import CannedReason
from knowhow.pagecache.csrf import django_accepts
from tests.pages import visible_text
from tests.people import make_account, make_moderator, signed_in

QUEUE = "/moderation/"
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def keeper(db: None) -> User:
    """A second moderator."""
    return make_moderator("keeper")


def _queue(client: Client) -> tuple[str, str]:
    """The queue's page, and the CSRF secret its forms must carry for this browser."""
    response = client.get(QUEUE)
    assert response.status_code == 200
    return response.content.decode(), client.cookies["csrftoken"].value


def test_moderators_share_the_kept_queue_each_with_their_own_tokens(
    moderator: User, keeper: User, article: Article, held_post: Callable[..., Post],
    report: Callable[..., None],
) -> None:  # fmt: skip
    held_post(article, body="Buy cheap watches here, held for a look.")
    reported = post_comment(article=article, body="Vinegar cures every illness.")
    report(reported, reason="harmful")
    first, second = signed_in(moderator), signed_in(keeper, Client())
    mine, my_secret = _queue(first)
    with CaptureQueriesContext(connection) as asked:
        theirs, their_secret = _queue(second)
    assert my_secret != their_secret
    for page, secret, other in ((mine, my_secret, their_secret), (theirs, their_secret, my_secret)):
        assert "Buy cheap watches here" in page and "Vinegar cures every illness." in page
        assert "@@hole" not in page
        tokens = TOKEN.findall(page)
        assert len(tokens) >= 3  # each post's decision form, and the bulk form
        assert all(django_accepts(secret, token) for token in tokens)
        assert not any(django_accepts(other, token) for token in tokens)
    # The second moderator's queue came from memory: no post was read for it.
    assert not any('FROM "discussion_post"' in query["sql"] for query in asked.captured_queries), [
        q["sql"][:150] for q in asked.captured_queries
    ]
    # And its tokens work: a decision from it is taken.
    token = TOKEN.search(theirs[theirs.index(f"/moderation/posts/{reported.pk}/action/") :])
    assert token is not None
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(keeper)
    strict.cookies["csrftoken"] = their_secret
    done = strict.post(
        reverse("moderation-post-action", args=[reported.pk]),
        {"csrfmiddlewaretoken": token.group(1), "action": "spam"},
    )
    assert done.status_code == 302
    reported.refresh_from_db()
    assert reported.status == Post.Status.SPAM


def test_a_moderator_who_just_decided_gets_their_own_queue_and_the_others_do_not(
    moderator: User, keeper: User, article: Article, held_post: Callable[..., Post]
) -> None:
    held = held_post(article, body="Buy cheap watches here, held for a look.")
    first, second = signed_in(moderator), signed_in(keeper, Client())
    _queue(first), _queue(second)
    first.post(reverse("moderation-post-action", args=[held.pk]), {"action": "spam"})
    mine, _ = _queue(first)
    assert "by you" in visible_text(mine.encode()) and "Undo" in mine
    for _ in range(2):
        theirs, _ = _queue(second)
        assert "by you" not in visible_text(theirs.encode())
        assert "Buy cheap watches here" not in theirs and "Undo" not in theirs


def _rename_author(post: Post, article: Article) -> str:
    assert post.author is not None
    post.author.username = "renamed-reader"
    post.author.save()
    return "renamed-reader"


def _retitle(post: Post, article: Article) -> str:
    article.title = "A title changed a moment ago"
    article.save()
    return "A title changed a moment ago"


def _new_reason(post: Post, article: Article) -> str:
    CannedReason.objects.create(label="A made-up cure", position=99)
    return "A made-up cure"


def _appeal(post: Post, article: Article) -> str:
    assert post.author is not None
    ban = Ban.objects.create(kind=Ban.Kind.ACCOUNT, user=post.author, reader_reason="Spam.")
    services.appeal_ban(
        ban_record=ban, user=post.author, email="", text="I only wanted to help, truly."
    )
    return "I only wanted to help, truly."


def _held(post: Post, article: Article) -> str:
    post.refresh_from_db()
    post.held_because = "a second look by the spam guard"
    post.save(update_fields=["held_because"])
    return "a second look by the spam guard"


@pytest.mark.parametrize("change", [_rename_author, _retitle, _new_reason, _appeal, _held])
def test_every_change_the_queue_shows_is_on_every_moderators_next_page(
    moderator: User, keeper: User, article: Article, report: Callable[..., None],
    change: Callable[[Post, Article], str],
) -> None:  # fmt: skip
    author = make_account("poster")
    post = post_comment(article=article, body="Vinegar cures every illness.", author=author)
    report(post, reason="harmful", note="Dangerous advice.")
    browsers = [signed_in(moderator), signed_in(keeper, Client())]
    for browser in browsers:
        _queue(browser), _queue(browser)
    shown = change(post, article)
    for browser in browsers:
        page, _ = _queue(browser)
        assert shown in visible_text(page.encode()) or shown in page


def test_reports_made_and_dismissed_show_at_once(
    moderator: User, keeper: User, article: Article, report: Callable[..., None]
) -> None:
    post = post_comment(article=article, body="Vinegar cures every illness.")
    browsers = [signed_in(moderator), signed_in(keeper, Client())]
    for browser in browsers:
        page, _ = _queue(browser)
        assert "Vinegar cures every illness." not in page
    report(post, reason="harmful", note="Dangerous advice.")
    for browser in browsers:
        page, _ = _queue(browser)
        assert "Dangerous advice." in page
    services.dismiss_flags(post=post, moderator=moderator)
    for browser in browsers:
        page, _ = _queue(browser)
        assert "Dangerous advice." not in page and "Vinegar cures every illness." not in page
