"""Who wants email about replies and mentions, and who asked never to get it again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class ReaderPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    notify_replies = models.BooleanField(
        default=False, help_text=gettext_lazy("Email me when someone replies to or mentions me.")
    )

    def __str__(self) -> str:
        return f"Preferences of {self.user_id}"


class EmailOptOut(models.Model):
    """An address that unsubscribed; no notification goes to it again."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.email


class ConfirmedAddress(models.Model):
    """An address whose owner followed a confirmation link: reply emails may go to it.

    Kept only as a keyed hash of the address (see recipients.address_hash), as the log of
    emails sent is.
    """

    address_hash = models.CharField(max_length=64, unique=True)
    confirmed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"Confirmed address {self.address_hash[:8]}"


class SentNotification(models.Model):
    """That a post's email went to an address, so no address hears about a post twice.

    The address is kept only as a keyed hash: this log is for de-duplication, not a list.
    """

    post = models.ForeignKey(
        "discussion.Post", on_delete=models.CASCADE, related_name="notifications_sent"
    )
    address_hash = models.CharField(max_length=64)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["post", "address_hash"], name="notification_once_per_address"
            )
        ]

    def __str__(self) -> str:
        return f"Notification about {self.post_id}"
