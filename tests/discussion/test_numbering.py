"""Post numbers: per article, from 1, atomic, never reused."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from django.test import Client

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation.services import remove_post
from tests.pages import post_numbers


def test_numbers_count_from_one_per_article(make_article) -> None:  # type: ignore[no-untyped-def]
    first, second = make_article("What is Sleep?"), make_article("What is a Dream?")
    assert [post_comment(article=first, body=f"post {i}").number for i in range(3)] == [1, 2, 3]
    assert post_comment(article=second, body="hello").number == 1


def test_removed_post_keeps_its_number(article: Article, client: Client) -> None:
    posts = [post_comment(article=article, body=f"post {i}") for i in range(4)]
    remove_post(post=posts[0])
    assert post_numbers(client.get(article.get_absolute_url()).content) == [4, 3, 2]
    assert post_comment(article=article, body="a fifth").number == 5


def test_removing_the_newest_post_does_not_free_its_number(article: Article) -> None:
    post_comment(article=article, body="one")
    remove_post(post=post_comment(article=article, body="two"))
    assert post_comment(article=article, body="three").number == 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_posters_never_share_a_number(make_article) -> None:  # type: ignore[no-untyped-def]
    article = make_article()
    threads_count, per_thread = 8, 6
    barrier = threading.Barrier(threads_count)
    errors: list[BaseException] = []

    def poster(n: int) -> None:
        try:
            barrier.wait()
            for i in range(per_thread):
                post_comment(article=article, body=f"thread {n} post {i}")
        except BaseException as exc:  # reported below, with the thread's failure
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=poster, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    numbers = sorted(Post.objects.filter(article=article).values_list("number", flat=True))
    assert numbers == list(range(1, threads_count * per_thread + 1))
