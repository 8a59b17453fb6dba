from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "knowhow.api"
    label = "knowhow_api"
    default_auto_field = "django.db.models.BigAutoField"
