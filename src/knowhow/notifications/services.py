"""The writes of notifications: readers' choice of emails, unsubscribes, the log of emails
sent. Confirming an address for them is confirmations'."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower

from knowhow.discussion.models import Post
from knowhow.notifications.confirmations import request_confirmation
from knowhow.notifications.models import EmailOptOut, ReaderPreferences, SentNotification
from knowhow.notifications.recipients import address_hash, address_key, opt_out_forms
from knowhow.notifications.tokens import Subscriber


@transaction.atomic
def set_reply_emails(*, user: User, on: bool) -> ReaderPreferences:
    """Turn the reader's reply and mention emails on or off.

    Turned on for an address nobody has confirmed yet (sign-up does not check addresses),
    they start once the reader follows the link this emails to it."""
    preferences, _ = ReaderPreferences.objects.update_or_create(
        user=user, defaults={"notify_replies": on}
    )
    if on and user.email:
        # Ticking the box is fresh consent: it undoes an earlier one-click unsubscribe.
        forms = opt_out_forms(user.email)
        EmailOptOut.objects.annotate(key=Lower("email")).filter(key__in=forms).delete()
        request_confirmation(email=user.email, user=user)
    return preferences


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber) -> None:
    """No more emails to this address, and the account the email was sent for opts out too.

    The inbox's plain form opts out with it, so no variant of the address ("name+tag@")
    can be used to ask that inbox to confirm again."""
    email = address_key(subscriber.email)
    for form in opt_out_forms(email):
        EmailOptOut.objects.get_or_create(email=form)
    readers = Q(user__email__iexact=email)
    if subscriber.user_id is not None:
        readers |= Q(user_id=subscriber.user_id)
    ReaderPreferences.objects.filter(readers).update(notify_replies=False)


def record_sent(*, post: Post, emails: Iterable[str]) -> None:
    """Remember who was told about the post, so a second announcement tells nobody again."""
    SentNotification.objects.bulk_create(
        [SentNotification(post=post, address_hash=address_hash(e)) for e in emails],
        ignore_conflicts=True,
    )
