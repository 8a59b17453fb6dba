from django.contrib import admin

from knowhow.facts.models import Event, Fact


@admin.register(Fact)
class FactAdmin(admin.ModelAdmin):
    list_display = ("text", "topic")
    search_fields = ("text", "source")
    autocomplete_fields = ("related",)


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ("date_label", "year", "text")
    list_filter = ("month",)
    search_fields = ("text",)
    autocomplete_fields = ("related",)
