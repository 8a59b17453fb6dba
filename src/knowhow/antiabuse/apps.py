"""The anti-abuse layers below the discussion: bans, rate limits, form timing, spam score."""

from django.apps import AppConfig


class AntiabuseConfig(AppConfig):
    name = "knowhow.antiabuse"
    verbose_name = "Anti-abuse"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow import pagecache
        from knowhow.antiabuse.bans import BANS_TAG
        from knowhow.antiabuse.models import Ban, BlockedTerm
        from knowhow.antiabuse.spam import BLOCKLIST_TAG

        pagecache.follow(Ban, lambda ban: [BANS_TAG])
        pagecache.follow(BlockedTerm, lambda term: [BLOCKLIST_TAG])
