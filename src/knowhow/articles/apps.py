from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ArticlesConfig(AppConfig):
    name = "knowhow.articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow import pagecache
        from knowhow.articles import related
        from knowhow.articles.models import (
            LISTS_TAG,
            PEOPLE_TAG,
            TOPICS_TAG,
            Article,
            Person,
            Topic,
        )

        pagecache.follow(Article, lambda article: [article.cache_tag, LISTS_TAG])
        pagecache.follow(Topic, lambda topic: [topic.cache_tag, TOPICS_TAG])
        pagecache.follow(Person, lambda person: [person.cache_tag, PEOPLE_TAG])

        def relate(sender: Any, instance: Article, **kwargs: Any) -> None:
            related.refresh_for(instance.pk)

        post_save.connect(relate, sender=Article, weak=False, dispatch_uid="related-save")
        post_delete.connect(relate, sender=Article, weak=False, dispatch_uid="related-delete")
