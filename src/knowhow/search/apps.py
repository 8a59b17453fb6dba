from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class SearchConfig(AppConfig):
    name = "knowhow.search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow.articles.models import Article
        from knowhow.search import services

        # Article.save and Article.delete run these inside their own transaction, so the
        # index and the related lists change with the article or not at all.
        def saved(sender: Any, instance: Article, **kwargs: Any) -> None:
            # A newsroom step changes no word the index or a related list reads.
            if Article.seen_by_readers(kwargs.get("update_fields")):
                services.article_written(instance)

        def deleted(sender: Any, instance: Article, **kwargs: Any) -> None:
            services.article_removed(instance.pk)

        def tidy(sender: Any, **kwargs: Any) -> None:
            services.drop_orphans(kwargs.get("using", "default"))

        # A flush empties the tables Django knows, then sends post_migrate: the index
        # table, which Django does not know, loses the entries of articles gone with it.
        post_migrate.connect(tidy, sender=self, weak=False, dispatch_uid="search-tidy")
        post_save.connect(saved, sender=Article, weak=False, dispatch_uid="search-save")
        post_delete.connect(deleted, sender=Article, weak=False, dispatch_uid="search-delete")
