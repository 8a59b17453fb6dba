"""What moderators keep: bans, reader reports, the blocklist, and the log of their actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from knowhow.discussion.models import Post


class BanQuerySet(models.QuerySet["Ban"]):
    def active(self) -> BanQuerySet:
        return self.filter(lifted_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )


class Ban(models.Model):
    class Kind(models.TextChoices):
        ACCOUNT = "account", "Account may not post"
        SHADOW = "shadow", "Account's posts shown only to itself"
        ADDRESS = "address", "Address may not post"
        NETWORK = "network", "Network may not post"
        RANGE = "range", "Address range may not post"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # SET_NULL: a banned reader deleting their account must not erase the record of the ban.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bans",
    )
    # Keyed hashes of an address or network (moderation.addresses), one per hash period seen.
    hashes = models.JSONField(default=list, blank=True)
    # A range a moderator typed, such as 203.0.113.0/24: policy, not a reader's address.
    cidr = models.CharField(max_length=64, blank=True)
    reason = models.TextField(blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(null=True, blank=True)
    lifted_at = models.DateTimeField(null=True, blank=True)
    source_post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.pk})"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None and (
            self.expires_at is None or self.expires_at > timezone.now()
        )


class Flag(models.Model):
    """A reader's report of a post."""

    class Reason(models.TextChoices):
        SPAM = "spam", "Spam or advertising"
        ABUSE = "abuse", "Abusive or hateful"
        HARMFUL = "harmful", "Dangerous health advice"
        OFF_TOPIC = "off_topic", "Off topic"
        OTHER = "other", "Something else"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reporter_hash = models.CharField(max_length=64, blank=True)
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["post", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.post_id}"


class BlockedTerm(models.Model):
    class Kind(models.TextChoices):
        WORD = "word", "Word or phrase"
        DOMAIN = "domain", "Link domain"

    kind = models.CharField(max_length=6, choices=Kind.choices)
    value = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "value"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "value"], name="blocked_term_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.value}"


class ModerationAction(models.Model):
    """The audit log: who did what to which post or reader, when, and why."""

    class Action(models.TextChoices):
        AUTO_HOLD = "auto_hold", "Held automatically"
        FLAG_HOLD = "flag_hold", "Hidden after reports"
        APPROVE = "approve", "Approved"
        REJECT = "reject", "Rejected"
        SPAM = "spam", "Marked as spam"
        REMOVE = "remove", "Removed"
        EDIT = "edit", "Edited"
        DISMISS_FLAGS = "dismiss", "Reports dismissed"
        BAN = "ban", "Banned"
        LIFT_BAN = "lift_ban", "Ban lifted"
        BLOCK_TERM = "block", "Blocklist changed"

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation"
    )
    ban = models.ForeignKey(Ban, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {self.created_at:%Y-%m-%d %H:%M}"
