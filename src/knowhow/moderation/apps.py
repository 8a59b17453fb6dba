"""Moderation: the queue, decisions on posts, reports, bans and the blocklist, the log."""

from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "knowhow.moderation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from knowhow import pagecache
        from knowhow.antiabuse.bans import BANS_TAG
        from knowhow.articles.models import Article, thread_tag
        from knowhow.discussion.events import post_held, post_needs_review
        from knowhow.moderation.digest import queue_digests
        from knowhow.moderation.models import (
            CANNED_REASONS_TAG,
            QUEUE_TAG,
            Appeal,
            CannedReason,
            Flag,
            ModerationAction,
        )
        from knowhow.moderation.services import record_auto_hold, record_review
        from knowhow.moderation.telling import queue_telling
        from knowhow.pagecache.users import user_tag

        # The set reasons show in every moderator's controls, kept rendered with the thread.
        pagecache.follow(CannedReason, lambda reason: [CANNED_REASONS_TAG])
        # The queue, kept rendered for moderators, shows posts of every thread, their
        # reports, appeals, articles' titles, accounts' names and bans.
        pagecache.follow(Flag, lambda flag: [QUEUE_TAG])
        pagecache.follow(Appeal, lambda appeal: [QUEUE_TAG])
        for prefix in (thread_tag(0)[:-1], Article.tag_for(0)[:-1], user_tag(0)[:-1], BANS_TAG):
            pagecache.also(prefix, QUEUE_TAG)
        post_held.connect(record_auto_hold, dispatch_uid="knowhow.moderation.auto-hold-log")
        post_held.connect(queue_digests, dispatch_uid="knowhow.moderation.held-digest")
        post_needs_review.connect(record_review, dispatch_uid="knowhow.moderation.review")
        # Authors are told of decisions on their posts once the decision is logged.
        post_save.connect(
            queue_telling, sender=ModerationAction, dispatch_uid="knowhow.moderation.tell-authors"
        )
