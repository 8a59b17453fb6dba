"""Moderation: the queue, decisions on posts, reports, bans and the blocklist, the log."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "knowhow.moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from knowhow import pagecache
        from knowhow.discussion.events import post_held, post_needs_review
        from knowhow.moderation.digest import queue_digests
        from knowhow.moderation.models import CANNED_REASONS_TAG, CannedReason, ModerationAction
        from knowhow.moderation.services import record_auto_hold, record_review
        from knowhow.moderation.telling import queue_telling

        # The set reasons show in every moderator's controls, kept rendered with the thread.
        pagecache.follow(CannedReason, lambda reason: [CANNED_REASONS_TAG])
        post_held.connect(record_auto_hold, dispatch_uid="knowhow.moderation.auto-hold-log")
        post_held.connect(queue_digests, dispatch_uid="knowhow.moderation.held-digest")
        post_needs_review.connect(record_review, dispatch_uid="knowhow.moderation.review")
        # Authors are told of decisions on their posts once the decision is logged.
        post_save.connect(
            queue_telling, sender=ModerationAction, dispatch_uid="knowhow.moderation.tell-authors"
        )
