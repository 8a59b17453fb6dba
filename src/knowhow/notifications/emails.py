"""The email about a reply or a mention: plain text, with a one-click unsubscribe (RFC 8058)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.text import Truncator

from knowhow.discussion.models import Post
from knowhow.links import absolute
from knowhow.notifications.recipients import REPLY, Recipient
from knowhow.notifications.tokens import Subscriber, make_token

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
    return EmailMessage(
        # A title with a line break would make the header invalid.
        subject=" ".join(f"[{settings.SITE_NAME}] {what}".split()),
        body=body,
        to=[recipient.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )
