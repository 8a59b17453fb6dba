"""Reader posts under articles, numbered per article and never renumbered."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy

from knowhow.antiabuse.fingerprints import body_fingerprint
from knowhow.articles.models import Article

__all__ = ["Mention", "Post", "PostQuerySet", "body_fingerprint", "permalink"]


def permalink(article_slug: str, number: int) -> str:
    """A permanent address for a post that finds it on whichever page it is."""
    return reverse("post-permalink", args=[article_slug, number])


class PostQuerySet(models.QuerySet["Post"]):
    def visible(self) -> PostQuerySet:
        """Posts every reader sees."""
        return self.filter(Post.visible_q())

    def in_thread(self) -> PostQuerySet:
        """What a thread shows everyone: visible posts and the marks of removed ones."""
        return self.filter(Post.in_thread_q())


class Post(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published", gettext_lazy("Published")
        HELD = "held", gettext_lazy("Awaiting moderation")
        REJECTED = "rejected", gettext_lazy("Rejected")
        SPAM = "spam", gettext_lazy("Spam")
        REMOVED = "removed", gettext_lazy("Removed by a moderator")
        DELETED = "deleted", gettext_lazy("Removed by its author")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="posts")
    number = models.PositiveIntegerField()
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="posts",
    )
    # The name an imported post was signed with where it came from (it has no account here).
    author_name = models.CharField(max_length=150, blank=True, default="")
    # Where an imported post came from (e.g. "wxr:42"), so importing again adds no copy.
    import_key = models.CharField(max_length=100, blank=True, default="", editable=False)
    body = models.TextField()
    body_html = models.TextField(editable=False)
    fingerprint = models.CharField(max_length=64, editable=False, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    # Shown only to its author: the author is shadow-hidden by a moderator.
    shadow = models.BooleanField(default=False)
    reply_to = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    # Why the post was held, in words a moderator reads, and the score that held it; with
    # the code callers branch on (the spam guard's first signal code, or HELD_FOR_REPORTS),
    # kept apart from the words so no rule depends on how they are phrased.
    held_because = models.TextField(blank=True)
    held_code = models.CharField(max_length=40, blank=True, default="")
    spam_score = models.FloatField(default=0)
    # Keyed hashes of the poster's address and network: never the address itself.
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    network_hash = models.CharField(max_length=64, blank=True)
    # Where an anonymous poster asked to hear about replies; never shown.
    notify_email = models.EmailField(blank=True)
    # The nonce of the form the post was sent from (none for imported posts): one form
    # makes at most one post, also when two requests race with the same form.
    form_nonce = models.CharField(max_length=24, blank=True, default="", editable=False)
    created_at = models.DateTimeField()
    # The interface language the post was sent in ("" if not known): emails about replies
    # to it speak that language.
    language = models.CharField(max_length=15, blank=True, default="", editable=False)
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)

    # Which statuses are shown, and to whom: the one definition the queries and the
    # properties below use.
    # The held_code of a post readers' reports hid for review.
    HELD_FOR_REPORTS = "reported"

    VISIBLE_STATUSES = frozenset({Status.PUBLISHED})
    TOMBSTONE_STATUSES = frozenset({Status.REMOVED, Status.DELETED})
    # What the author still sees of their own post, and may still change.
    OWN_STATUSES = frozenset({Status.PUBLISHED, Status.HELD})
    # What the author of a held post is told beside it (the thread, the API): never the
    # guard's reasons, which would teach a spammer what to change.
    AWAITING_NOTE = gettext_lazy(
        "Awaiting moderation: only you can see this post until a moderator approves it."
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="post_number_unique"),
            models.UniqueConstraint(
                fields=["form_nonce"], condition=~Q(form_nonce=""), name="post_form_used_once"
            ),
            models.UniqueConstraint(
                fields=["article", "import_key"],
                condition=~Q(import_key=""),
                name="post_imported_once",
            ),
        ]
        indexes = [
            models.Index(fields=["article", "status", "-number"]),
            models.Index(fields=["author", "-created_at"]),
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["fingerprint", "created_at"]),
        ]
        permissions = [("moderate_post", gettext_lazy("Can moderate the discussion"))]

    def __str__(self) -> str:
        return f"Post {self.number} on {self.article_id}"

    def get_absolute_url(self) -> str:
        """The post's permalink (its article must be loaded with it)."""
        return permalink(self.article.slug, self.number)

    @property
    def changeable_until(self) -> dt.datetime:
        """Until when its author may still edit or delete it."""
        return self.created_at + dt.timedelta(minutes=settings.DISCUSSION_EDIT_WINDOW_MINUTES)

    @property
    def anchor(self) -> str:
        return f"post-{self.number}"

    @staticmethod
    def visible_q() -> Q:
        """Posts every reader sees: published, and not shadow-hidden."""
        return Q(status__in=Post.VISIBLE_STATUSES, shadow=False)

    @staticmethod
    def tombstone_q() -> Q:
        """Posts taken down, whose number stays in the thread with a mark."""
        return Q(status__in=Post.TOMBSTONE_STATUSES)

    @staticmethod
    def in_thread_q() -> Q:
        return Post.visible_q() | Post.tombstone_q()

    @property
    def is_visible(self) -> bool:
        return self.status in self.VISIBLE_STATUSES and not self.shadow

    @property
    def is_tombstone(self) -> bool:
        return self.status in self.TOMBSTONE_STATUSES

    @property
    def held_note(self) -> str | None:
        """What its author is told of this post while it waits for a moderator, else None."""
        return str(self.AWAITING_NOTE) if self.status == self.Status.HELD else None


class Mention(models.Model):
    """A reader a post names with @name, stored when the post's text is rendered.

    Only names that resolved to a visible earlier post of that reader in the thread are
    stored, the same ones the post links: the one record of who a post mentions.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentioned_in"
    )
    # The post the mention links to; empty if that post was deleted since.
    target_post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        # Rows are made in order of first appearance, so the key orders them.
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="mention_once_per_post"),
        ]

    def __str__(self) -> str:
        return f"Mention of {self.user_id} in {self.post_id}"
