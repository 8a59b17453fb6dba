"""Readers' personal API tokens: what other software acts with on their behalf."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy


class ApiToken(models.Model):
    """A token a reader made on their settings page. Only a hash of its secret is kept: the
    secret is shown once, when it is made. `prefix` finds the row without the secret."""

    class Scope(models.TextChoices):
        READ = "read", gettext_lazy("Read articles and discussions")
        POST = "post", gettext_lazy("Post, edit and delete your own posts, and report posts")
        NEWSROOM = "newsroom", gettext_lazy("Work in the newsroom")
        MODERATE = "moderate", gettext_lazy("Moderate the discussion")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12, unique=True)
    secret_hash = models.CharField(max_length=64)
    # The scopes asked for, space-separated; what a token may do is also bounded by what
    # its account may do at the time of each request (accounts.api_tokens.granted).
    scopes = models.CharField(max_length=100)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def scope_list(self) -> list[str]:
        return [scope for scope in self.scopes.split() if scope in self.Scope.values]

    def is_live(self, now: dt.datetime | None = None) -> bool:
        """Not revoked and not expired."""
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)
