"""Signed-in readers get live pages built from kept parts: never stale, never someone else's."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable

from django.contrib.auth.models import User
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.discussion.services import post_comment, submit_post
from tests.pages import visible_text
from tests.people import signed_in


def test_a_new_post_shows_at_once_on_a_signed_in_readers_page(
    article: Article, reader: User, outsider: User
) -> None:
    viewer = signed_in(outsider)
    assert "No posts yet" in visible_text(viewer.get(article.get_absolute_url()).content)
    post_comment(article=article, body="Cramps eased once I drank more water.", author=reader)
    text = visible_text(viewer.get(article.get_absolute_url()).content)
    assert "Cramps eased once I drank more water." in text


def test_an_authors_own_links_never_reach_another_reader(
    article: Article, reader: User, outsider: User
) -> None:
    post_comment(article=article, body="My own fresh post.", author=reader)
    author_page = signed_in(reader).get(article.get_absolute_url()).content.decode()
    assert 'aria-label="Edit Post 1"' in author_page
    other_page = signed_in(outsider).get(article.get_absolute_url()).content.decode()
    assert 'aria-label="Edit Post 1"' not in other_page
    assert 'aria-label="Report Post 1"' in other_page
    again = signed_in(reader).get(article.get_absolute_url()).content.decode()
    assert 'aria-label="Edit Post 1"' in again


def test_a_held_post_shows_only_to_its_author(
    article: Article, reader: User, outsider: User, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.HOLD_FIRST_POSTS = True
    post = submit_post(article=article, body="Waiting for a moderator.", author=reader).post
    assert post.status == "held"
    other = signed_in(outsider)
    assert "Waiting for a moderator." not in visible_text(
        other.get(article.get_absolute_url()).content
    )
    mine = visible_text(signed_in(reader).get(article.get_absolute_url()).content)
    assert "Waiting for a moderator." in mine and "Awaiting moderation" in mine
    assert "Waiting for a moderator." not in visible_text(
        other.get(article.get_absolute_url()).content
    )


def test_edits_to_the_article_show_on_live_pages(
    article: Article, outsider: User, make_article: Callable[..., Article]
) -> None:
    viewer = signed_in(outsider)
    viewer.get(article.get_absolute_url())
    article.body = "Cramps are now explained in a new first paragraph."
    article.save()
    writer = article.written_by
    writer.name = "Wendy Renamed"
    writer.save()
    text = visible_text(viewer.get(article.get_absolute_url()).content)
    assert "Cramps are now explained in a new first paragraph." in text
    assert "Wendy Renamed" in text
    make_article("What Stops a Muscle Cramp?")  # related, in the same topic
    assert "What Stops a Muscle Cramp?" in visible_text(
        viewer.get(article.get_absolute_url()).content
    )


def test_an_article_taken_down_is_gone_at_once_for_signed_in_readers(
    article: Article, outsider: User
) -> None:
    viewer = signed_in(outsider)
    assert viewer.get(article.get_absolute_url()).status_code == 200
    article.status = Article.Status.DRAFT
    article.save()
    assert viewer.get(article.get_absolute_url()).status_code == 404


def test_a_scheduled_article_opens_when_its_time_comes(
    outsider: User, make_article: Callable[..., Article]
) -> None:
    soon = make_article(
        "Why do Feet Fall Asleep?", published_at=timezone.now() + dt.timedelta(seconds=3)
    )
    viewer = signed_in(outsider)
    assert viewer.get(soon.get_absolute_url()).status_code == 404
    time.sleep(3.1)
    assert viewer.get(soon.get_absolute_url()).status_code == 200
