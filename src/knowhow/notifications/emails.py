"""The emails of notifications, in plain text with a one-click unsubscribe (RFC 8058): about
a reply or a mention, and the one asking an address's owner to confirm they want those."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.links import absolute
from knowhow.notifications.recipients import REPLY, Recipient
from knowhow.notifications.tokens import CONFIRM_MAX_AGE, Subscriber, make_confirm_token, make_token

EXCERPT_CHARS = 300


def unsubscribe_url(recipient: Recipient) -> str:
    token = make_token(Subscriber(email=recipient.email, user_id=recipient.user_id))
    return absolute(reverse("unsubscribe", args=[token]))


def post_email(post: Post, recipient: Recipient) -> EmailMessage:
    """The email telling the recipient about the post (article, author and parent loaded)."""
    article = post.article
    who = post.author.username if post.author is not None else "An anonymous reader"
    if recipient.reason == REPLY and post.reply_to is not None:
        what = f"{who} replied to your Post {post.reply_to.number} on “{article.title}”"
    else:
        what = f"{who} mentioned you in Post {post.number} on “{article.title}”"
    unsubscribe = unsubscribe_url(recipient)
    body = render_to_string(
        "notifications/post_email.txt",
        {
            "recipient": recipient,
            "what": what,
            "excerpt": Truncator(" ".join(post.body.split())).chars(EXCERPT_CHARS),
            "link": absolute(post.get_absolute_url()),
            "unsubscribe_url": unsubscribe,
            "site_name": settings.SITE_NAME,
        },
    )
    return _message(f"[{settings.SITE_NAME}] {what}", body, recipient.email, unsubscribe)


def confirmation_email(email: str, *, article: Article | None, user_id: int | None) -> EmailMessage:
    """The email asking whether the address wants reply emails: for a post on the article, or
    for the reader's account. Nothing in it was written by a reader (not even a username), so
    naming a stranger's address sends them no one's words."""
    if article is not None:
        what = f"Confirm you want reply emails for your post on “{article.title}”"
    else:
        what = f"Confirm you want reply emails from {settings.SITE_NAME}"
    unsubscribe = unsubscribe_url(Recipient(email=email, reason=REPLY, user_id=user_id))
    body = render_to_string(
        "notifications/confirm_email.txt",
        {
            "article": article,
            "confirm_url": absolute(
                reverse("confirm-reply-emails", args=[make_confirm_token(email)])
            ),
            "days": CONFIRM_MAX_AGE // 86400,
            "unsubscribe_url": unsubscribe,
            "site_name": settings.SITE_NAME,
        },
    )
    return _message(f"[{settings.SITE_NAME}] {what}", body, email, unsubscribe)


def _message(subject: str, body: str, to: str, unsubscribe: str) -> EmailMessage:
    return EmailMessage(
        # A title with a line break would make the header invalid.
        subject=" ".join(subject.split()),
        body=body,
        to=[to],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
