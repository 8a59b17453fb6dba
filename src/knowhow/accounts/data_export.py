"""Everything the site keeps about a reader, as the JSON of "Download my data".

Only their own rows, and never hashes: no password hash, no hashed addresses. Five queries.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User

from knowhow.discussion.models import Post
from knowhow.moderation.models import Flag
from knowhow.newsroom.models import Question
from knowhow.notifications.models import ReaderPreferences
from knowhow.notifications.recipients import is_opted_out


def reader_data(user: User, absolute: Callable[[str], str]) -> dict[str, Any]:
    """The reader's data; `absolute` turns a path into a full address on this site."""
    preferences = ReaderPreferences.objects.filter(user=user).first()
    opted_out = bool(user.email) and is_opted_out(user.email)
    posts = (
        Post.objects.filter(author=user)
        .select_related("article")
        .only(
            "number",
            "body",
            "status",
            "created_at",
            "edited_at",
            "removed_at",
            "article__title",
            "article__slug",
        )
        .order_by("created_at", "pk")
    )
    reports = (
        Flag.objects.filter(reporter=user)
        .select_related("post__article")
        .only(
            "reason",
            "note",
            "created_at",
            "post__number",
            "post__article__title",
            "post__article__slug",
        )
        .order_by("created_at", "pk")
    )
    questions = (
        Question.objects.filter(asker=user)
        .only("text", "email", "state", "created_at")
        .order_by("created_at", "pk")
    )
    return {
        "account": {
            "username": user.username,
            "email": user.email,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
        },
        "preferences": {
            "email_me_replies_and_mentions": bool(preferences and preferences.notify_replies),
            "email_address_unsubscribed": opted_out,
        },
        "posts": [
            {
                "article": {
                    "title": post.article.title,
                    "url": absolute(post.article.get_absolute_url()),
                },
                "number": post.number,
                "url": absolute(post.get_absolute_url()),
                "body": post.body,
                "status": post.status,
                "created_at": post.created_at,
                "edited_at": post.edited_at,
                "removed_at": post.removed_at,
            }
            for post in posts
        ],
        "reports": [
            {
                "post": {
                    "article": report.post.article.title,
                    "number": report.post.number,
                    "url": absolute(report.post.get_absolute_url()),
                },
                "reason": report.reason,
                "note": report.note,
                "date": report.created_at,
            }
            for report in reports
        ],
        "questions": [
            {
                "text": question.text,
                "email_when_answered": question.email,
                "state": question.state,
                "date": question.created_at,
            }
            for question in questions
        ],
    }
