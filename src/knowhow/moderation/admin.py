from django.contrib import admin

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.moderation.models import Flag, ModerationAction


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    list_display = ("value", "kind", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("value",)


@admin.register(Ban)
class BanAdmin(admin.ModelAdmin):
    list_display = ("kind", "user", "cidr", "reason", "created_at", "expires_at", "lifted_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "created_by", "source_post")
    # Hashes are matched, never read: keep them out of the form.
    exclude = ("hashes",)


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("post", "reason", "reporter", "created_at", "resolved_at")
    list_filter = ("reason",)
    raw_id_fields = ("post", "reporter")
    exclude = ("reporter_hash",)


@admin.register(ModerationAction)
class ModerationActionAdmin(admin.ModelAdmin):
    """The audit log is read here, never written: every entry comes from a moderation service."""

    list_display = ("created_at", "action", "actor", "post", "note")
    list_filter = ("action",)
    search_fields = ("note",)

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
