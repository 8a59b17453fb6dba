from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "knowhow.pagecache"
    label = "pagecache"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model

        from knowhow.pagecache.api import follow
        from knowhow.pagecache.users import user_tag

        follow(get_user_model(), lambda user: [user_tag(user.pk)])
