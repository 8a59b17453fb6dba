from django.apps import AppConfig


class FactsConfig(AppConfig):
    name = "knowhow.facts"
    default_auto_field = "django.db.models.BigAutoField"
