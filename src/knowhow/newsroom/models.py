"""The newsroom's own records: readers' questions, waiting for editors to answer them."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from knowhow.articles import roles
from knowhow.articles.models import Article

QUESTION_MAX_LENGTH = 1000


class Question(models.Model):
    """A question a reader asked the site, and what the editors did with it."""

    class State(models.TextChoices):
        NEW = "new", gettext_lazy("New")
        MERGED = "merged", gettext_lazy("Merged into another question")
        DRAFTED = "drafted", gettext_lazy("Turned into a draft")
        ANSWERED = "answered", gettext_lazy("Answered")
        DECLINED = "declined", gettext_lazy("Declined")

    text = models.TextField(max_length=QUESTION_MAX_LENGTH)
    # A signed-in asker; an anonymous one may leave a name instead.
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="questions_asked",
    )
    asker_name = models.CharField(max_length=100, blank=True)
    # Where to say that the answer is published; used for that one email, never shown.
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    asked_from = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.NEW)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="duplicates"
    )
    draft = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="questions"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    # When the asker was told the answer is out: set once, so nobody is told twice.
    notified_at = models.DateTimeField(null=True, blank=True)
    # For the anti-abuse layers: the same text again, and one form making one question.
    fingerprint = models.CharField(max_length=64, db_index=True, default="")
    form_nonce = models.CharField(max_length=64, blank=True, db_index=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["state", "created_at"])]

    def __str__(self) -> str:
        return _("Question %(number)s") % {"number": self.pk}

    @property
    def label(self) -> str:
        return _("Question %(number)s") % {"number": self.pk}

    @property
    def asked_by(self) -> str:
        """Who asked, as editors see it: the account's name, the name left, or anonymous."""
        if self.asker is not None:
            return self.asker.get_username()
        return self.asker_name or "anonymous"

    def words_for_writer(self) -> str:
        """The question's words as its writer reads them: the asker's address and name (the
        name they left, or their account's) blanked out wherever they typed them in the text
        too."""
        own = [self.email, self.asker_name]
        if self.asker is not None:
            own += [self.asker.email, self.asker.get_full_name(), self.asker.get_username()]
        words = self.text
        for said in sorted({o.strip() for o in own if len(o.strip()) >= 3}, key=len, reverse=True):
            # Whole words only: a name like "Pat" leaves "pattern" alone.
            found = rf"(?<!\w){re.escape(said)}(?!\w)"
            words = re.sub(found, "[the asker]", words, flags=re.IGNORECASE)
        return words

    def readable_by(self, user: Any) -> bool:
        """Editors read every question; the writer of the draft that answers it reads that
        one (roles.may_view of the draft)."""
        if roles.is_editor(user):
            return True
        return self.draft is not None and roles.may_view(user, self.draft)

    @property
    def is_open(self) -> bool:
        """Whether another question may still be merged into this one."""
        return self.state in (self.State.NEW, self.State.DRAFTED)


class Autosave(models.Model):
    """Text typed in the editor and not saved as a revision yet: one per person and article
    (article empty: a new article), seen by that person only, never by readers. A save
    sent after its writer's session ended is kept here too, with no person but a token,
    until its writer signs in and takes it back."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The revision the text was typed over: an older one than the newest means someone
    # saved since, and the text is offered back beside their changes, never over them.
    base = models.PositiveIntegerField(default=0)
    # The editor form's fields as typed (knowhow.newsroom.autosaves.FIELDS), by name.
    fields = models.JSONField(default=dict)
    token = models.CharField(max_length=64, blank=True, db_index=True)
    saved_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "article"],
                condition=models.Q(user__isnull=False, article__isnull=False),
                name="one_autosave_per_person_and_article",
            ),
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(user__isnull=False, article__isnull=True),
                name="one_new_article_autosave_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"Autosave {self.pk}"


class DeskNote(models.Model):
    """A workflow step a person is told of on their desk (and by email, unless they opted
    out): changes requested of their article, a comment, an approval, a submission."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    event = models.ForeignKey("articles.ArticleEvent", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["user", "event"], name="one_desk_note_per_step")
        ]
        indexes = [models.Index(fields=["user", "seen_at"])]

    def __str__(self) -> str:
        return f"Note {self.pk} for {self.user_id}"


class StepEmails(models.Model):
    """A newsroom member's choice of emails about workflow steps: on unless turned off."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    wanted = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"Step emails of {self.user_id}: {self.wanted}"
