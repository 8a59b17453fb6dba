from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "knowhow.pages"
    label = "pages"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow.pagecache.holes import register
        from knowhow.pages.context import fill_viewer_name, fill_viewer_url

        # The signed-in viewer's name and page in every page's header, filled in per viewer.
        register("viewername", fill_viewer_name)
        register("viewerurl", fill_viewer_url)
