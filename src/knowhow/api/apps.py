from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "knowhow.api"
    label = "knowhow_api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow import pagecache
        from knowhow.api import announcements
        from knowhow.api.models import Webhook
        from knowhow.api.webhooks import WEBHOOKS_TAG

        announcements.connect()
        pagecache.follow(Webhook, lambda hook: [WEBHOOKS_TAG])
