from django.apps import AppConfig


class FrontpageConfig(AppConfig):
    name = "knowhow.frontpage"
    default_auto_field = "django.db.models.BigAutoField"
