from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    """Moving a site in and out: import, export, backup and restore."""

    name = "knowhow.exchange"
    default_auto_field = "django.db.models.BigAutoField"
