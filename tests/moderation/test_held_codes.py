"""Why a post was held is a code kept apart from the words a moderator reads: rules branch
on the code, so rewording a reason (or a reason that happens to begin like another) changes
no decision."""

from __future__ import annotations

import importlib
from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from knowhow.antiabuse import spam
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from tests.pages import post_numbers

held_code_migration = importlib.import_module("knowhow.discussion.migrations.0006_held_code")


def dismiss(client: Client, post: Post) -> None:
    client.post(reverse("moderation-post-action", args=[post.pk]), {"action": "dismiss"})


def test_a_held_post_carries_the_code_of_why(
    article: Article, held_post: Callable[..., Post]
) -> None:
    post = held_post(article)
    assert post.held_code == spam.ANONYMOUS_NEEDS_APPROVAL
    assert post.held_because == "anonymous posts need approval"


def test_a_post_hidden_by_reports_carries_the_reports_code(
    article: Article, report: Callable[..., None]
) -> None:
    post = post_comment(article=article, body="Salt helps me, honestly.")
    report(post, times=3, reason="harmful")
    post.refresh_from_db()
    assert (post.status, post.held_code) == (Post.Status.HELD, Post.HELD_FOR_REPORTS)


def test_dismissing_reports_leaves_held_a_post_whose_reason_only_reads_like_reports(
    article: Article, mod_client: Client, held_post: Callable[..., Post], reader: User
) -> None:
    post = held_post(article)
    # Words that begin like a reports hold, on a post the spam guard held.
    Post.objects.filter(pk=post.pk).update(held_because="reported elsewhere as spam; held")
    Flag = post.flags.model
    Flag.objects.create(post=post, reporter=reader, reason="spam")
    dismiss(mod_client, post)
    post.refresh_from_db()
    assert post.status == Post.Status.HELD
    assert post.flags.filter(resolved_at__isnull=True).count() == 0
    assert post_numbers(Client().get(article.get_absolute_url()).content) == []


def test_dismissing_reports_shows_a_reports_hold_whatever_its_words(
    article: Article, mod_client: Client, report: Callable[..., None]
) -> None:
    post = post_comment(article=article, body="Salt helps me, honestly.")
    report(post, times=3, reason="harmful")
    Post.objects.filter(pk=post.pk).update(held_because="Hidden after three readers complained")
    dismiss(mod_client, post)
    post.refresh_from_db()
    assert (post.status, post.held_code, post.held_because) == (Post.Status.PUBLISHED, "", "")
    assert post_numbers(Client().get(article.get_absolute_url()).content) == [1]


def test_posts_held_before_codes_get_theirs_from_the_words_of_the_time() -> None:
    code_for = held_code_migration.code_for
    assert code_for("reported by 3 readers") == "reported"
    assert code_for("anonymous posts need approval; 4 links in an anonymous post (limit 2)") == (
        "anonymous_needs_approval"
    )
    assert code_for("edited: contains blocked word “casino”") == "blocked_word"
    assert code_for("4 links in a new account's post (limit 2)") == "too_many_links"
    assert code_for("the same links as Post 3 on “Salt”, marked spam") == "like_marked_spam"
    assert code_for("the spam checker says spam") == "checker_says_spam"
    assert code_for("edited: reported by 1 reader") == ""
    assert code_for("something nobody wrote") == ""
