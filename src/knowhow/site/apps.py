from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "knowhow.site"
    label = "site"
    default_auto_field = "django.db.models.BigAutoField"
