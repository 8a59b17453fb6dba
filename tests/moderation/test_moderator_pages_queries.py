"""A moderator's pages read the same number of rows whatever they show: the queue and the
article page with every post's controls ask the database as often at 5 posts as at 50, so
a busy day does not make them slower per post."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import import_post
from knowhow.moderation.models import Flag
from tests.people import make_account, signed_in


def _add_posts(article: Article, numbers: range, status: str) -> list[Post]:
    """Posts by readers of their own, some anonymous, each a different text."""
    now = timezone.now()
    made = []
    for n in numbers:
        author = make_account(f"poster{status}{n}") if n % 3 else None
        made.append(
            import_post(
                article=article,
                body=f"Post {n} about the *article*, with a thought of its own.",
                author=author,
                created_at=now - dt.timedelta(minutes=n + 1),
                status=status,
            )
        )
    return made


def _report(posts: list[Post], reporter: User) -> None:
    for post in posts:
        Flag.objects.create(
            post=post, reporter=reporter, reason=Flag.Reason.HARMFUL, created_at=timezone.now()
        )


def _queries(client: Client, url: str, shows: str) -> int:
    with CaptureQueriesContext(connection) as asked:
        response = client.get(url)
    assert response.status_code == 200
    assert shows in response.content.decode()
    return len(asked.captured_queries)


def _grown(make: Callable[[int, int], None], client: Client, url: str) -> tuple[int, int]:
    """The page's queries with 5 posts of each kind, then with 50 (each rendered anew: the
    posts added change what it shows). The clock stands still, so that nothing read once a
    while (a session's renewal) falls into one count and not the other."""
    with time_machine.travel(timezone.now(), tick=False):
        client.get(url)  # the moderator's session and account are read once, as on any visit
        make(0, 5)
        few = _queries(client, url, "Post 4 about")
        make(5, 45)
        many = _queries(client, url, "Post 49 about")
    return few, many


def test_the_queue_asks_as_often_at_50_posts_as_at_5(
    moderator: User, make_article: Callable[..., Article]
) -> None:
    articles = [make_article(title=f"Queued article {n}") for n in range(3)]
    reporter = make_account("reporter")
    client = signed_in(moderator)

    def make(start: int, count: int) -> None:
        for index, article in enumerate(articles):
            _add_posts(
                article, range(start + index, start + count, len(articles)), Post.Status.HELD
            )
        reported = _add_posts(
            articles[0], range(1000 + start, 1000 + start + count), Post.Status.PUBLISHED
        )
        _report(reported, reporter)

    few, many = _grown(make, client, "/moderation/?show=all")
    assert few == many, (few, many)


def test_the_article_page_of_a_moderator_asks_as_often_at_50_posts_as_at_5(
    moderator: User, article: Article
) -> None:
    client = signed_in(moderator)

    def make(start: int, count: int) -> None:
        _add_posts(article, range(start, start + count), Post.Status.PUBLISHED)

    few, many = _grown(make, client, article.get_absolute_url())
    assert few == many, (few, many)
