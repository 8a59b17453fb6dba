from django.contrib import admin

from knowhow.api.models import Delivery, Webhook


@admin.register(Webhook)
class WebhookAdmin(admin.ModelAdmin[Webhook]):
    list_display = ["url", "events", "active", "created_at"]
    list_filter = ["active"]


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin[Delivery]):
    list_display = ["event", "webhook", "status", "attempts", "response_status", "created_at",
                    "next_attempt_at"]  # fmt: skip
    list_filter = ["status", "event"]
    readonly_fields = [f.name for f in Delivery._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
