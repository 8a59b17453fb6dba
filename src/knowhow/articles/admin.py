from typing import Any

from django.contrib import admin, messages
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html

from knowhow.articles import roles, services
from knowhow.articles.models import Article, Person, Topic
from knowhow.articles.revisions import REVISED_FIELDS


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    """Articles as a list to look through, not a way round the workflow: every field is
    read-only here (the byline and address too, which the editor page changes as logged
    steps), so every change is a revision or a step in the log. Administrators may still
    delete."""

    list_display = ("title", "topic", "status", "stage", "written_by", "last_modified",
                    "published_at", "featured_at", "editor_link")  # fmt: skip
    actions = ("feature_on_home", "stop_featuring")
    list_filter = ("status", "stage", "topic")
    search_fields = ("title", "body")
    date_hierarchy = "published_at"
    readonly_fields = (
        "editor_link",
        "slug",
        "written_by",
        *REVISED_FIELDS,
        "status",
        "stage",
        "edited_by",
        "published_at",
        "last_modified",
        "latest_revision",
        "live_revision",
        "featured_at",
    )

    def has_add_permission(self, request: Any) -> bool:
        return False  # new articles start on the editor page, as a first revision

    def get_queryset(self, request: Any) -> Any:
        """Writers see here what the newsroom shows them: their own articles."""
        articles = super().get_queryset(request)
        if roles.is_editor(request.user):
            return articles
        return articles.filter(written_by__user_id=request.user.pk)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        """Nothing is changed here: the editor page's steps change the writer and address."""
        return False

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or super().has_change_permission(
            request, obj
        )

    def has_feature_permission(self, request: Any) -> bool:
        return roles.is_editor(request.user)

    @admin.action(description="Feature on the home page", permissions=["feature"])
    def feature_on_home(self, request: Any, queryset: Any) -> None:
        """The chosen published article goes to the top of the home page (one at a time)."""
        chosen = list(queryset[:2])
        if len(chosen) != 1:
            self.message_user(request, "Choose one article to feature.", messages.ERROR)
            return
        try:
            services.feature_article(article=chosen[0], by=request.user)
        except services.NotAllowed as refusal:
            self.message_user(request, str(refusal), messages.ERROR)
            return
        self.message_user(request, f"“{chosen[0].title}” is now featured on the home page.")

    @admin.action(description="Stop featuring on the home page", permissions=["feature"])
    def stop_featuring(self, request: Any, queryset: Any) -> None:
        for article in queryset.filter(featured_at__isnull=False):
            services.feature_article(article=article, by=request.user, featured=False)
        self.message_user(request, "The home page no longer features those articles.")

    @admin.display(description="Editor")
    def editor_link(self, article: Article) -> str:
        if article.pk is None:
            return ""
        try:
            url = reverse("newsroom-edit", args=[article.pk])
        except NoReverseMatch:  # a site without the newsroom's pages
            return ""
        return format_html('<a href="{}">Edit in the newsroom</a>', url)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "user")
    raw_id_fields = ("user",)
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "health", "review_months", "shows_facts")
    fields = (
        "name", "slug", "description", "health", "hold_first_posts", "review_months",
        "shows_facts",
    )  # fmt: skip
    prepopulated_fields = {"slug": ("name",)}
