from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "knowhow.pagecache"
    label = "pagecache"
