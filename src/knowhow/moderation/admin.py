"""Admin pages for posts, bans, the blocklist, reports and the log.

Every change with a service goes through it, so the admin keeps the same rules as the
moderation pages: a post's text is edited with a note through services.edit_post (which
renders it again and writes the log); bans and the blocklist are read here and changed on
the moderation pages (/moderation/bans/, /moderation/blocklist/), whose services log them.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.translation import gettext_lazy

from knowhow.antiabuse.models import Ban, BlockedTerm
from knowhow.discussion.models import Post
from knowhow.moderation import services
from knowhow.moderation.models import Flag, ModerationAction


class ReadOnlyAdmin(admin.ModelAdmin):
    """Shown, never changed here: a moderation page and its service make the change."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PostEditForm(forms.ModelForm):
    note = forms.CharField(
        label=gettext_lazy("Why are you editing?"),
        max_length=1000,
        help_text=gettext_lazy(
            "Required. It goes into the moderation log with the text before and after."
        ),
    )

    class Meta:
        model = Post
        fields = ["body"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    """Posts are written by readers; here a moderator corrects a post's text, with a note."""

    form = PostEditForm
    list_display = ("article", "number", "author", "status", "shadow", "created_at")
    list_filter = ("status", "shadow")
    search_fields = ("body", "author__username")
    fields = ("article", "number", "author", "status", "shadow", "held_because", "body", "note")
    readonly_fields = ("article", "number", "author", "status", "shadow", "held_because")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # posts come from the discussion's services, numbered

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # removing is a moderation decision, which keeps the number

    def save_model(self, request: HttpRequest, obj: Post, form: Any, change: bool) -> None:
        assert isinstance(request.user, User)
        original = Post.objects.select_related("article").get(pk=obj.pk)
        services.edit_post(
            post=original,
            moderator=request.user,
            body=form.cleaned_data["body"],
            note=form.cleaned_data["note"],
        )


@admin.register(BlockedTerm)
class BlockedTermAdmin(ReadOnlyAdmin):
    list_display = ("value", "kind", "created_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("value",)


@admin.register(Ban)
class BanAdmin(ReadOnlyAdmin):
    list_display = ("kind", "user", "cidr", "reason", "created_at", "expires_at", "lifted_at")
    list_filter = ("kind",)
    # Hashes are matched, never read: keep them off the page.
    exclude = ("hashes",)


@admin.register(Flag)
class FlagAdmin(admin.ModelAdmin):
    list_display = ("post", "reason", "reporter", "created_at", "resolved_at")
    list_filter = ("reason",)
    raw_id_fields = ("post", "reporter")
    exclude = ("reporter_hash",)


@admin.register(ModerationAction)
class ModerationActionAdmin(ReadOnlyAdmin):
    """The audit log is read here, never written: every entry comes from a moderation service."""

    list_display = ("created_at", "action", "actor", "post", "note")
    list_filter = ("action",)
    search_fields = ("note",)
