from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "knowhow.site"
    label = "site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow.pagecache.holes import register
        from knowhow.site import checks  # noqa: F401 - registers the deploy checks
        from knowhow.site.context import fill_viewer_name, fill_viewer_url

        register("viewername", fill_viewer_name)
        register("viewerurl", fill_viewer_url)
