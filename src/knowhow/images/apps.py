from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "knowhow.images"
    default_auto_field = "django.db.models.BigAutoField"
