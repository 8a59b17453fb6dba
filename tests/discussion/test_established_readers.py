"""One definition of an established reader: an account old enough with enough published
posts, both settable; anonymous readers, young accounts and accounts whose posts were held,
removed or shadow-hidden are not."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.discussion.trust import established_ids, is_established
from tests.people import make_reader


def aged(user: User, days: int) -> User:
    User.objects.filter(pk=user.pk).update(date_joined=timezone.now() - dt.timedelta(days=days))
    user.refresh_from_db()
    return user


def posts(article: Article, user: User, count: int) -> list[Post]:
    return [
        post_comment(article=article, body=f"My thought number {n} on this.", author=user)
        for n in range(count)
    ]


@pytest.fixture(autouse=True)
def _terms(settings) -> None:  # type: ignore[no-untyped-def]
    settings.ESTABLISHED_ACCOUNT_DAYS = 7
    settings.ESTABLISHED_POSTS = 2


def test_an_old_account_with_published_posts_is_established(article: Article) -> None:
    reader = aged(make_reader("old"), 8)
    posts(article, reader, 2)
    assert is_established(reader)
    assert established_ids([reader.pk]) == {reader.pk}


def test_a_young_account_is_not_established_whatever_it_posted(article: Article) -> None:
    reader = aged(make_reader("young"), 6)
    posts(article, reader, 5)
    assert not is_established(reader)


def test_an_old_account_without_enough_published_posts_is_not(article: Article) -> None:
    reader = aged(make_reader("quiet"), 30)
    first, second = posts(article, reader, 2)
    Post.objects.filter(pk=second.pk).update(status=Post.Status.HELD)
    assert not is_established(reader)
    Post.objects.filter(pk=second.pk).update(status=Post.Status.PUBLISHED, shadow=True)
    assert not is_established(reader)


def test_both_terms_are_settable(article: Article, settings) -> None:  # type: ignore[no-untyped-def]
    reader = aged(make_reader("settable"), 2)
    posts(article, reader, 1)
    assert not is_established(reader)
    settings.ESTABLISHED_ACCOUNT_DAYS = 1
    settings.ESTABLISHED_POSTS = 1
    assert is_established(reader)


def test_an_anonymous_reader_is_never_established() -> None:
    assert not is_established(None)
