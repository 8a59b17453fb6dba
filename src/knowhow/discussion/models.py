"""Reader posts under articles, numbered per article and never renumbered."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from knowhow.articles.models import Article


class PostQuerySet(models.QuerySet["Post"]):
    def visible(self) -> PostQuerySet:
        return self.filter(status=Post.Status.PUBLISHED)


class Post(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", "Published"
        REMOVED = "removed", "Removed"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
    )
    body = models.TextField()
    body_html = models.TextField(editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="post_number_unique"),
        ]
        indexes = [
            models.Index(fields=["article", "status", "-number"]),
            models.Index(fields=["author", "-created_at"]),
        ]

    def __str__(self) -> str:
        return f"Post {self.number} on {self.article_id}"

    @property
    def anchor(self) -> str:
        return f"post-{self.number}"
