"""Confirming an address before reply emails go to it: asking once, sending the email through
the task queue, and the owner's yes.

Anyone can type any address into the post form, and sign-up does not check addresses
either, so an address gets reply emails only after its owner followed the link in the one
confirmation email, which carries nothing a reader wrote. A yes is remembered for the
address (as a keyed hash), so a reader is asked once.
"""

from __future__ import annotations

import hashlib
import logging

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import translation

from knowhow.antiabuse import ratelimit
from knowhow.discussion.models import Post
from knowhow.notifications.emails import confirmation_email, in_language
from knowhow.notifications.models import ConfirmedAddress
from knowhow.notifications.recipients import (
    address_hash,
    address_key,
    is_confirmed,
    is_opted_out,
    mailbox_key,
)
from knowhow.retries import retrying_task

logger = logging.getLogger(__name__)

# Confirmation emails to one inbox, however many posts name it: one an hour (its link
# works for days), three a day.
CONFIRM_RATES = [(1, 3600), (3, 86400)]


class ConfirmRefused(Exception):
    """A confirmation link that confirms nothing: used already, or its address unsubscribed."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code  # "used" or "opted_out"


def request_confirmation(*, email: str, post: Post | None = None, user: User | None = None) -> bool:
    """Queue the email asking the address's owner whether they want reply emails (for the
    anonymous post that named it, or for the reader's account); True if it was queued.

    Nothing goes to an address already confirmed or unsubscribed, nor past CONFIRM_RATES
    for its inbox, so the post form cannot be made to flood someone's mail."""
    if not address_key(email) or is_confirmed(email) or is_opted_out(email):
        return False
    inbox = hashlib.sha256(mailbox_key(email).encode()).hexdigest()
    if ratelimit.hit("confirm-address:" + inbox, CONFIRM_RATES) is not None:
        return False
    post_id = post.pk if post is not None else None
    user_id = user.pk if user is not None else None
    # In the language of the page that asked.
    language = translation.get_language() or ""
    transaction.on_commit(lambda: _queue(post_id, user_id, language), robust=True)
    return True


def _queue(post_id: int | None, user_id: int | None, language: str) -> None:
    try:
        send_confirmation.enqueue(post_id=post_id, user_id=user_id, language=language)
    except Exception:
        # Whoever asked still gets their page; they can ask again for a new link.
        logger.exception("Could not queue a confirmation email")


@retrying_task
def send_confirmation(
    post_id: int | None = None, user_id: int | None = None, language: str = ""
) -> int:
    """Email the confirmation link to the address the post left, or the account's address,
    in the language of the page that asked; returns how many emails went out (the address
    may have said yes or no since)."""
    post, email = None, ""
    if post_id is not None:
        post = Post.objects.select_related("article").filter(pk=post_id).first()
        email = post.notify_email if post is not None else ""
    elif user_id is not None:
        account = User.objects.filter(pk=user_id, is_active=True).first()
        email = account.email if account is not None else ""
    if not email or is_confirmed(email) or is_opted_out(email):
        return 0
    article = post.article if post is not None else None
    with in_language(language):
        message = confirmation_email(email, article=article, user_id=user_id)
    message.send()
    return 1


def confirm_address(*, email: str) -> None:
    """Remember that the address's owner wants reply emails: once, and never for an address
    that unsubscribed (raises ConfirmRefused)."""
    if is_opted_out(email):
        raise ConfirmRefused("opted_out")
    try:
        with transaction.atomic():
            ConfirmedAddress.objects.create(address_hash=address_hash(email))
    except IntegrityError:
        raise ConfirmRefused("used") from None


def ask_for_post(sender: object, *, post: Post, **kwargs: object) -> None:
    """Receiver of discussion.events.reply_address_given: ask the address the post left."""
    request_confirmation(email=post.notify_email, post=post)
