from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "knowhow.notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow.discussion.events import post_published, reply_address_given
        from knowhow.notifications.confirmations import ask_for_post
        from knowhow.notifications.tasks import queue_post_notifications

        post_published.connect(
            queue_post_notifications, dispatch_uid="knowhow.notifications.post-emails"
        )
        reply_address_given.connect(
            ask_for_post, dispatch_uid="knowhow.notifications.confirm-address"
        )
