"""Webhooks in the admin: registered by administrators; their deliveries only read."""

from django.contrib import admin
from django.db import models

from knowhow.api.models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    list_display = ["url", "events", "active", "created_at"]
    list_filter = ["active"]
    # An address typed without a scheme is taken as https.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ["event", "webhook", "status", "attempts", "response_status", "created_at",
                    "next_attempt_at"]  # fmt: skip
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
