"""The anti-abuse layers below the discussion: bans, rate limits, form timing, spam score."""

from django.apps import AppConfig


class AntiabuseConfig(AppConfig):
    name = "knowhow.antiabuse"
    verbose_name = "Anti-abuse"
    default_auto_field = "django.db.models.BigAutoField"
