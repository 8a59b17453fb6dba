from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "knowhow.notifications"
    default_auto_field = "django.db.models.BigAutoField"
