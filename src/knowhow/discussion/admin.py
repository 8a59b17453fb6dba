from django.contrib import admin

from knowhow.discussion.models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("article", "number", "author", "status", "shadow", "created_at")
    list_filter = ("status", "shadow")
    search_fields = ("body", "author__username")
    raw_id_fields = ("article", "author")
    readonly_fields = ("number", "body_html", "held_because", "spam_score")
    exclude = ("ip_hash", "network_hash", "fingerprint", "notify_email")
