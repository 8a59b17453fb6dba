"""Mentions are stored with a post's text: on posting, on every edit and on import."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.discussion.models import Mention, Post
from knowhow.discussion.services import MAX_MENTIONS, edit_own_post, import_post, post_comment
from knowhow.moderation.services import edit_post
from tests.people import make_reader


def _mentions(post: Post) -> list[tuple[str, int | None]]:
    """Who the post mentions, in order, with the number of the post each mention links to."""
    rows = Mention.objects.filter(post=post).select_related("user", "target_post")
    return [(m.user.username, m.target_post.number if m.target_post else None) for m in rows]


def test_posting_stores_each_mentioned_reader_with_their_latest_visible_post(
    article: Article, reader: User, outsider: User
) -> None:
    post_comment(article=article, body="first by reader", author=reader)
    post_comment(article=article, body="by outsider", author=outsider)
    post_comment(article=article, body="second by reader", author=reader)
    post = post_comment(article=article, body="@OUTSIDER and @Reader agree, and @reader again.")
    assert _mentions(post) == [("outsider", 2), ("reader", 3)]
    assert post.body_html.count('class="mention"') == 3


def test_a_mention_of_an_unknown_name_stores_nothing(article: Article, reader: User) -> None:
    post = post_comment(article=article, body="Ask @nobody, or @reader who never posted here.")
    assert _mentions(post) == []
    assert 'class="mention"' not in post.body_html


def test_a_mention_of_a_reader_whose_posts_are_all_hidden_stores_nothing(
    article: Article, reader: User
) -> None:
    post_comment(article=article, body="Hidden soon.", author=reader)
    Post.objects.filter(number=1).update(status=Post.Status.REMOVED)
    assert _mentions(post_comment(article=article, body="Where did @reader go?")) == []


def test_only_names_the_post_links_are_stored(article: Article, reader: User) -> None:
    post_comment(article=article, body="Here.", author=reader)
    post = post_comment(article=article, body="[@reader's page](https://example.org/r) says so.")
    assert 'class="mention"' not in post.body_html
    assert _mentions(post) == []


def test_at_most_max_mentions_are_stored(article: Article) -> None:
    names = [f"reader{n}" for n in range(MAX_MENTIONS + 1)]
    for name in names:
        post_comment(article=article, body="Here.", author=make_reader(name))
    post = post_comment(article=article, body=" ".join(f"@{n}" for n in names))
    assert [name for name, _ in _mentions(post)] == names[:MAX_MENTIONS]


def test_a_readers_edit_replaces_the_stored_mentions(
    article: Article, reader: User, outsider: User
) -> None:
    post_comment(article=article, body="Mine.", author=reader)
    post_comment(article=article, body="Also mine.", author=outsider)
    other = make_reader("other")
    post = post_comment(article=article, body="@reader is right.", author=other)
    assert _mentions(post) == [("reader", 1)]
    edit_own_post(post=post, body="@outsider is right, not @nobody.")
    assert _mentions(post) == [("outsider", 2)]
    edit_own_post(post=post, body="Nobody is right.")
    assert _mentions(post) == []
    assert not Mention.objects.exists()


def test_a_moderators_edit_replaces_the_stored_mentions(
    article: Article, reader: User, outsider: User, moderator: User
) -> None:
    post_comment(article=article, body="Mine.", author=reader)
    post_comment(article=article, body="Also mine.", author=outsider)
    post = post_comment(article=article, body="Thanks @reader.")
    edit_post(post=post, moderator=moderator, body="Thanks @Outsider.", note="Wrong name.")
    assert _mentions(post) == [("outsider", 2)]
    assert 'class="mention">@Outsider</a>' in Post.objects.get(pk=post.pk).body_html


def test_an_imported_post_stores_its_mentions(article: Article, reader: User) -> None:
    when = timezone.now() - dt.timedelta(days=400)
    import_post(article=article, body="Long ago.", author=reader, created_at=when)
    post = import_post(article=article, body="As @reader said.", author=None, created_at=when)
    assert _mentions(post) == [("reader", 1)]


def test_a_mentioned_readers_deleted_target_post_leaves_the_mention_without_a_target(
    article: Article, reader: User
) -> None:
    post_comment(article=article, body="Mine.", author=reader)
    post = post_comment(article=article, body="Hi @reader.")
    Post.objects.filter(number=1).delete()
    assert _mentions(post) == [("reader", None)]
