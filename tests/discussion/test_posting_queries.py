"""What one post asks of the database is counted: a post that mentions a reader, with every
rule checked (bans, an earlier copy, the form used, both rate windows, learned spam, the same
text elsewhere), runs a fixed, small number of statements, and its emails are queued without
reading its mentions back."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from knowhow.antiabuse.addresses import address_of
from knowhow.articles.models import Article
from knowhow.discussion.models import Mention, Post
from knowhow.discussion.services import post_comment, submit_post
from tests.people import make_account

# An earlier copy, the form used, learned spam, the same text elsewhere, the number, the
# mention lookup, the post and its mention; then one per rate window (bans are kept in
# memory).
STATEMENTS = 8


def test_a_post_mentioning_a_reader_runs_a_fixed_number_of_statements(
    article: Article, reader: User, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    post_comment(article=article, body="An earlier post.", author=reader)
    poster = make_account("poster")
    address = address_of("203.0.113.9")
    # Their first post of the day opens their rate windows (rows made once a window).
    post_comment(article=article, body="Good to know.", author=poster, account=poster,
                 address=address, form_age=30)  # fmt: skip
    with (
        django_capture_on_commit_callbacks() as callbacks,
        CaptureQueriesContext(connection) as asked,
    ):
        outcome = submit_post(
            article=article,
            body=f"@{reader.username} is *right*: see https://example.org/guide today.",
            author=poster,
            account=poster,
            address=address,
            form_age=30,
            form_nonce="counted-form",
        )
    assert outcome.post.status == Post.Status.PUBLISHED
    assert list(Mention.objects.filter(post=outcome.post).values_list("user", flat=True)) == [
        reader.pk
    ]
    # Savepoints are the test's own transaction around the service's.
    statements = [q["sql"] for q in asked.captured_queries if "SAVEPOINT" not in q["sql"]]
    assert len(statements) <= STATEMENTS + len(settings.POST_RATE_ACCOUNT), [
        sql[:120] for sql in statements
    ]
    # Once committed, the reply emails are queued: the task is the one statement; whether
    # the post mentions anyone is known from storing it.
    with CaptureQueriesContext(connection) as after:
        for callback in callbacks:
            callback()
    assert not any('FROM "discussion_mention"' in q["sql"] for q in after.captured_queries)
    assert any("dbtaskresult" in q["sql"].lower() for q in after.captured_queries)
