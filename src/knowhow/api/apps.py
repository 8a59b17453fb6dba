from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "knowhow.api"
    label = "knowhow_api"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow.api import announcements

        announcements.connect()
