"""Webhooks: addresses an administrator registers to hear of the site's events, and each
delivery to them, kept with how it went."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy


def new_secret() -> str:
    return secrets.token_hex(32)


class Webhook(models.Model):
    class Event(models.TextChoices):
        ARTICLE_PUBLISHED = (
            "article.published",
            gettext_lazy("An article went live, or a change to it did"),
        )
        POST_PUBLISHED = "post.published", gettext_lazy("A post became visible to everyone")
        POST_HELD = "post.held", gettext_lazy("A post was held for a moderator")
        QUESTION_ASKED = "question.asked", gettext_lazy("A reader asked the editors a question")

    url = models.URLField(
        gettext_lazy("address"),
        max_length=500,
        help_text=gettext_lazy("Where deliveries are POSTed."),
    )
    events = models.CharField(
        max_length=200,
        help_text=format_lazy(
            gettext_lazy("The events to deliver, separated by spaces: {events}."),
            events=", ".join(Event.values),
        ),
    )
    secret = models.CharField(
        max_length=64,
        default=new_secret,
        help_text=gettext_lazy(
            "Signs every delivery (X-Knowhow-Signature); the receiver checks with it."
        ),
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.url

    @property
    def event_list(self) -> list[str]:
        return self.events.split()

    def clean(self) -> None:
        unknown = [name for name in self.events.split() if name not in self.Event.values]
        if unknown or not self.events.split():
            raise ValidationError(
                {
                    "events": _("Name one or more of: %(events)s.")
                    % {"events": ", ".join(self.Event.values)}
                }
            )
        self.events = " ".join(dict.fromkeys(self.events.split()))


class Delivery(models.Model):
    """One event sent to one webhook: the exact body, each attempt's outcome, what is next."""

    class Status(models.TextChoices):
        PENDING = "pending", gettext_lazy("Waiting to be sent (again)")
        DELIVERED = "delivered", gettext_lazy("Delivered")
        FAILED = "failed", gettext_lazy("Failed for good")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40)
    body = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name_plural = "deliveries"

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook_id}: {self.status}"
