from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "knowhow.newsroom"
    default_auto_field = "django.db.models.BigAutoField"
