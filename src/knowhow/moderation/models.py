"""What moderators keep: reader reports and the log of their actions (bans and the blocklist
are the anti-abuse layers' own, in knowhow.antiabuse)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy

from knowhow.antiabuse.models import Ban
from knowhow.dates import clock_time
from knowhow.discussion.models import Post
from knowhow.discussion.trust import established_ids


class FlagQuerySet(models.QuerySet["Flag"]):
    def open(self) -> FlagQuerySet:
        return self.filter(resolved_at__isnull=True)

    def votes(self) -> int:
        """How many voices these reports have towards hiding a post: established readers'
        reports only (discussion.trust; an anonymous or new account's report reaches the
        queue but hides nothing), one per network (/24 or /48) however many accounts
        reported from it (each reports a post once)."""
        rows = list(
            self.filter(reporter__isnull=False).values_list("pk", "reporter_id", "network_hash")
        )
        trusted = established_ids(reporter for _, reporter, _ in rows if reporter is not None)
        networks = {
            network or f"report {pk}"  # a report kept before networks were: a voice of its own
            for pk, reporter, network in rows
            if reporter in trusted
        }
        return len(networks)


class Flag(models.Model):
    """A reader's report of a post."""

    class Reason(models.TextChoices):
        SPAM = "spam", gettext_lazy("Spam or advertising")
        ABUSE = "abuse", gettext_lazy("Abusive or hateful")
        HARMFUL = "harmful", gettext_lazy("Dangerous health advice")
        OFF_TOPIC = "off_topic", gettext_lazy("Off topic")
        OTHER = "other", gettext_lazy("Something else")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="flags")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # An anonymous reporter's keyed hash (address, or /64 for IPv6: Address.reader_hash).
    reporter_hash = models.CharField(max_length=64, blank=True)
    # The keyed hash of the reporter's network, so one network is one voice (FlagQuerySet.votes).
    network_hash = models.CharField(max_length=64, blank=True, default="")
    reason = models.CharField(max_length=10, choices=Reason.choices)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = FlagQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["post", "resolved_at"])]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} on {self.post_id}"


class ModerationAction(models.Model):
    """The audit log: who did what to which post or reader, when, and why."""

    class Action(models.TextChoices):
        AUTO_HOLD = "auto_hold", gettext_lazy("Held automatically")
        FLAG_HOLD = "flag_hold", gettext_lazy("Hidden after reports")
        APPROVE = "approve", gettext_lazy("Approved")
        REJECT = "reject", gettext_lazy("Rejected")
        SPAM = "spam", gettext_lazy("Marked as spam")
        REMOVE = "remove", gettext_lazy("Removed")
        EDIT = "edit", gettext_lazy("Edited")
        DISMISS_FLAGS = "dismiss", gettext_lazy("Reports dismissed")
        BAN = "ban", gettext_lazy("Banned")
        LIFT_BAN = "lift_ban", gettext_lazy("Ban lifted")
        CHANGE_BAN = "change_ban", gettext_lazy("Ban changed")
        BLOCK_TERM = "block", gettext_lazy("Blocklist changed")
        UNDO = "undo", gettext_lazy("Undone")

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(max_length=10, choices=Action.choices)
    post = models.ForeignKey(
        Post, on_delete=models.SET_NULL, null=True, blank=True, related_name="moderation"
    )
    ban = models.ForeignKey(Ban, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    before = models.TextField(blank=True)
    after = models.TextField(blank=True)
    # The post's status before this entry changed it: what an undo returns it to.
    previous_status = models.CharField(max_length=10, blank=True, default="")
    # On an undo, the entry it reversed. One-to-one: an entry is undone once, even when two
    # moderators press Undo at the same moment.
    undoes = models.OneToOneField(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="undone_by"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} at {clock_time(self.created_at, with_date=True)}"

    @property
    def undo(self) -> ModerationAction | None:
        """The entry that undid this one, if any (load it with select_related("undone_by"))."""
        try:
            return self.undone_by
        except ModerationAction.DoesNotExist:
            return None


class HeldDigest(models.Model):
    """A moderator's digest of newly held posts: up to when it has told them, and whether
    one is already queued (so a burst of held posts queues one email, not one each)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="held_digest"
    )
    wanted = models.BooleanField(
        default=True,
        help_text=gettext_lazy("Email me, at most hourly, the posts newly awaiting moderation."),
    )
    told_up_to = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    queued_for = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Held-post digest of {self.user_id}"


class ReaderNote(models.Model):
    """What moderators keep on a reader: a note for each other, or a message emailed to the
    reader (sent by the task worker; `sent_at` says when the mail server took it)."""

    class Kind(models.TextChoices):
        NOTE = "note", gettext_lazy("Note")
        MESSAGE = "message", gettext_lazy("Message to the reader")

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderator_notes"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.NOTE)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["reader", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.reader_id}"


# Named by every save or deletion of a set reason (apps.py): the moderators' controls show them.
CANNED_REASONS_TAG = "canned-reasons"
# Named by every change the moderation queue shows (apps.py): a post in any thread, a report,
# an appeal, an article's title, an account's name, a ban.
QUEUE_TAG = "moderation-queue"


class CannedReason(models.Model):
    """A reason moderators pick in a decision form instead of typing it each time; what
    they type beside it is added to it. The log and the author's email keep the words."""

    label = models.CharField(max_length=100, unique=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "label"]

    def __str__(self) -> str:
        return self.label


class Appeal(models.Model):
    """A reader asks the moderators to think again: about a ban on them, or (once per post)
    about the removal of their post. It waits in the queue until a moderator decides."""

    class Kind(models.TextChoices):
        BAN = "ban", gettext_lazy("Appeal against a ban")
        POST = "post", gettext_lazy("Second look at a removed post")

    class Outcome(models.TextChoices):
        UPHELD = "upheld", gettext_lazy("Ban upheld")
        LIFTED = "lifted", gettext_lazy("Ban lifted")
        KEPT = "kept", gettext_lazy("Removal kept")
        RESTORED = "restored", gettext_lazy("Post restored")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    ban = models.ForeignKey(Ban, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="appeals"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Where an anonymous reader (banned by address) is answered.
    email = models.EmailField(blank=True)
    text = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            # A removed post gets one second look, however the request is replayed.
            models.UniqueConstraint(
                fields=["post"], condition=models.Q(kind="post"), name="one_second_look_per_post"
            ),
            # One appeal at a time against a ban.
            models.UniqueConstraint(
                fields=["ban"],
                condition=models.Q(kind="ban", decided_at__isnull=True),
                name="one_open_appeal_per_ban",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def reply_to(self) -> str:
        """Where the reader hears of the decision."""
        if self.user is not None and self.user.email:
            return self.user.email
        return self.email
