"""What the anti-abuse layers keep: bans and the blocklist of words and link domains.

Both models were moderation's until the anti-abuse layers got their own app; their tables
keep the names they had (see migrations: the move changed no data).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy


class BanQuerySet(models.QuerySet["Ban"]):
    def active(self) -> BanQuerySet:
        return self.filter(lifted_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class Ban(models.Model):
    class Kind(models.TextChoices):
        ACCOUNT = "account", gettext_lazy("Account may not post")
        SHADOW = "shadow", gettext_lazy("Account's posts shown only to itself")
        ADDRESS = "address", gettext_lazy("Address may not post")
        NETWORK = "network", gettext_lazy("Network may not post")
        RANGE = "range", gettext_lazy("Address range may not post")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # SET_NULL: a banned reader deleting their account must not erase the record of the ban.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bans",
    )
    # Keyed hashes of an address or network (antiabuse.addresses), one per hash period seen.
    hashes = models.JSONField(default=list, blank=True)
    # A range a moderator typed, such as 203.0.113.0/24: policy, not a reader's address.
    cidr = models.CharField(max_length=64, blank=True)
    # For moderators only; `reader_reason` is what the reader is told on the post form.
    reason = models.TextField(blank=True)
    reader_reason = models.TextField(blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    # By name: the discussion is above this app, which never imports it.
    source_post = models.ForeignKey(
        "discussion.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        db_table = "moderation_ban"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.pk})"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class BlockedTerm(models.Model):
    class Kind(models.TextChoices):
        WORD = "word", gettext_lazy("Word or phrase")
        DOMAIN = "domain", gettext_lazy("Link domain")

    class Match(models.TextChoices):
        WORDS = "words", gettext_lazy("Whole words and their forms")
        INSIDE = "inside", gettext_lazy("Also inside other words")

    class Outcome(models.TextChoices):
        HOLD = "hold", gettext_lazy("Hold the post for a moderator")
        REFUSE = "refuse", gettext_lazy("Refuse the post, telling the reader why")
        REVIEW = "review", gettext_lazy("Publish, and report it to the moderators")

    kind = models.CharField(max_length=6, choices=Kind.choices)
    value = models.CharField(max_length=200)
    # Words only: "casino" meets "casinos" and "casino's", never "casinoroyale", unless
    # it is to be found inside words.
    match = models.CharField(max_length=6, choices=Match.choices, default=Match.WORDS)
    action = models.CharField(max_length=6, choices=Outcome.choices, default=Outcome.HOLD)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "moderation_blockedterm"
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="blocked_term_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class RateCount(models.Model):
    """One window's count of one rate limit, kept in the database so every process of the
    site counts in one place when the cache is each process's own (see antiabuse.ratelimit).
    """

    bucket = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.bucket}: {self.count}"


class SpamPrint(models.Model):
    """A fingerprint of a post a moderator marked spam: its text's, or its links'. A new
    post or edit with the same fingerprint is held, anywhere on the site (the guard learns
    from "Mark spam"); undoing the mark forgets it."""

    class Kind(models.TextChoices):
        TEXT = "text", gettext_lazy("Same text")
        LINKS = "links", gettext_lazy("Same links")

    kind = models.CharField(max_length=5, choices=Kind.choices)
    value = models.CharField(max_length=64, db_index=True)
    # By name: the discussion is above this app, which never imports it.
    post = models.ForeignKey("discussion.Post", on_delete=models.CASCADE, related_name="+")
    # Which post it was, in words for the reason a repeat is held ("Post 3 on ...").
    named = models.CharField(max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "value", "post"], name="spam_print_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} of {self.named}"
