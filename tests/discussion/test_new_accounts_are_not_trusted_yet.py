"""New accounts are not trusted yet: their links count as an anonymous reader's, and in
topics that ask for it (health topics, unless a topic says otherwise) their first post waits
for a moderator."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article, Topic
from knowhow.discussion.models import Post
from knowhow.discussion.services import edit_own_post, post_comment
from tests.conftest import form_data
from tests.people import make_established, make_reader, signed_in

CASINO = (
    "Great tips! [one](https://casino-one.example/) [two](https://casino-two.example/) "
    "[three](https://casino-three.example/)"
)


@pytest.fixture(autouse=True)
def _trust(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ESTABLISHED_ACCOUNT_DAYS = 7
    settings.ESTABLISHED_POSTS = 1
    settings.ANONYMOUS_LINK_LIMIT = 2


def day_old(username: str) -> User:
    user = make_reader(username)
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=1))
    user.refresh_from_db()
    return user


def send(article: Article, user: User, body: str):  # type: ignore[no-untyped-def]
    return signed_in(user).post(
        f"{article.get_absolute_url()}posts/", form_data(article, body), REMOTE_ADDR="192.0.2.44"
    )


def test_a_day_old_account_posting_three_casino_links_is_held(article: Article) -> None:
    answer = send(article, day_old("newcomer"), CASINO)
    assert answer.status_code == 302
    post = Post.objects.get(author__username="newcomer")
    assert post.status == Post.Status.HELD
    assert "3 links in a new account's post (limit 2)" in post.held_because


def test_an_established_reader_may_post_three_links(article: Article) -> None:
    regular = make_established("regular", article)
    send(article, regular, CASINO)
    assert Post.objects.filter(author=regular).latest("pk").status == Post.Status.PUBLISHED


def test_a_new_account_cannot_edit_links_in_either(article: Article) -> None:
    user = day_old("editor")
    post = post_comment(article=article, body="A fair question.", author=user)
    edit_own_post(post=post, body=CASINO)
    post.refresh_from_db()
    assert post.status == Post.Status.HELD and "new account's post" in post.held_because


@pytest.fixture
def health_article(make_article: Callable[..., Article]) -> Article:
    topic = Topic.objects.create(name="Medicine", slug="medicine", health=True)
    return make_article(title="What is a Fever?", topic=topic)


def test_a_new_accounts_first_post_in_a_health_topic_waits(health_article: Article) -> None:
    user = day_old("worried")
    send(health_article, user, "Is it safe to take this with milk?")
    post = Post.objects.get(author=user)
    assert post.status == Post.Status.HELD
    assert post.held_because == "first post of this account needs approval"
    Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
    send(health_article, user, "Thanks, that helped a lot.")
    assert Post.objects.filter(author=user).latest("pk").status == Post.Status.PUBLISHED


def test_other_topics_do_not_hold_first_posts_unless_they_ask(article: Article) -> None:
    user = day_old("curious")
    send(article, user, "Is it safe to stretch every day?")
    assert Post.objects.get(author=user).status == Post.Status.PUBLISHED
    topic = article.topic
    topic.hold_first_posts = True
    topic.save()
    other = day_old("second")
    send(article, other, "What about cold showers?")
    assert Post.objects.get(author=other).status == Post.Status.HELD


def test_a_health_topic_may_let_first_posts_through(health_article: Article) -> None:
    topic = health_article.topic
    topic.hold_first_posts = False
    topic.save()
    user = day_old("calm")
    send(health_article, user, "Is it safe to take this with milk?")
    assert Post.objects.get(author=user).status == Post.Status.PUBLISHED


def test_anonymous_posts_keep_their_link_limit(article: Article) -> None:
    Client().post(f"{article.get_absolute_url()}posts/", form_data(article, CASINO))
    assert Post.objects.get().status == Post.Status.HELD
