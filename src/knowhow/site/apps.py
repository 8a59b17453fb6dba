from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "knowhow.site"
    label = "site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib import admin
        from django.core.mail import message
        from django.utils.functional import lazy

        from knowhow.links import MessageIdDomain

        # Django names the machine in each email's Message-ID; the site's host is meant.
        message.DNS_NAME = MessageIdDomain()  # type: ignore[attr-defined]
        # The admin's pages are named after the site too.
        admin_name = lazy(lambda: f"{settings.SITE_NAME} admin", str)()
        admin.site.site_header = admin.site.site_title = admin_name
