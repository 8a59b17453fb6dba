from django.apps import AppConfig


class ImagesConfig(AppConfig):
    name = "knowhow.images"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow import pagecache
        from knowhow.images.models import Image

        # Pages showing a picture name its tag (pages.depends): new words or copies, or the
        # picture gone, and they are drawn anew.
        pagecache.follow(Image, lambda image: [image.cache_tag])
