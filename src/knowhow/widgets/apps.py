from django.apps import AppConfig


class WidgetsConfig(AppConfig):
    name = "knowhow.widgets"
    default_auto_field = "django.db.models.BigAutoField"
