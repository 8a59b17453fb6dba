from django.contrib import admin

from knowhow.discussion.models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ("article", "number", "author", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("body", "author__username")
    raw_id_fields = ("article", "author")
    readonly_fields = ("number", "body_html")
