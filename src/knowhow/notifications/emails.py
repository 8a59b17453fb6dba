"""The emails of notifications, in plain text with a one-click unsubscribe (RFC 8058): about
a reply or a mention, and the one asking an address's owner to confirm they want those."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.links import absolute
from knowhow.notifications.recipients import REPLY, Recipient
from knowhow.notifications.tokens import CONFIRM_MAX_AGE, Subscriber, make_confirm_token, make_token

EXCERPT_CHARS = 300


def email_language(code: str) -> str:
    """The language an email to a reader speaks: the one they used, while the site still
    offers it, else the site's."""
    allowed = {str(allowed_code) for allowed_code, _name in settings.LANGUAGES}
    return code if code in allowed else str(settings.LANGUAGE_CODE)


@contextlib.contextmanager
def in_language(code: str) -> Iterator[None]:
    """Write an email in the reader's language (see email_language)."""
    with translation.override(email_language(code)):
        yield


def unsubscribe_url(recipient: Recipient) -> str:
    token = make_token(Subscriber(email=recipient.email, user_id=recipient.user_id))
    return absolute(reverse("unsubscribe", args=[token]))


def post_email(post: Post, recipient: Recipient) -> EmailMessage:
    """The email telling the recipient about the post (article, author and parent loaded)."""
    article = post.article
    names = {"title": article.title, "number": post.number}
    if post.author is not None:
        names["who"] = post.author.username
    if recipient.reason == REPLY and post.reply_to is not None:
        names["number"] = post.reply_to.number
        if post.author is not None:
            what = _("%(who)s replied to your Post %(number)s on “%(title)s”") % names
        else:
            what = _("An anonymous reader replied to your Post %(number)s on “%(title)s”") % names
    elif post.author is not None:
        what = _("%(who)s mentioned you in Post %(number)s on “%(title)s”") % names
    else:
        what = _("An anonymous reader mentioned you in Post %(number)s on “%(title)s”") % names
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
        what = _("Confirm you want reply emails for your post on “%(title)s”") % {
            "title": article.title
        }
    else:
        what = _("Confirm you want reply emails from %(site)s") % {"site": settings.SITE_NAME}
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
