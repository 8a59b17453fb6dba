from typing import Any

from django.contrib import admin

from knowhow.articles.models import Article, Person, Topic


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("title", "topic", "status", "written_by", "last_modified", "published_at")
    list_filter = ("status", "topic")
    search_fields = ("title", "body")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("written_by", "edited_by")
    date_hierarchy = "published_at"

    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "published_at" and field is not None:
            field.help_text = "Left empty, publishing sets it to the time of saving."
        return field


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "user")
    raw_id_fields = ("user",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "health", "review_months")
    fields = ("name", "slug", "description", "health", "review_months")
    prepopulated_fields = {"slug": ("name",)}
