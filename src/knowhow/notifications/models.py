"""Who wants email about replies and mentions, and who asked never to get it again."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ReaderPreferences(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="preferences"
    )
    notify_replies = models.BooleanField(
        default=False, help_text="Email me when someone replies to or mentions me."
    )

    def __str__(self) -> str:
        return f"Preferences of {self.user_id}"


class EmailOptOut(models.Model):
    """An address that unsubscribed; no notification goes to it again."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.email
