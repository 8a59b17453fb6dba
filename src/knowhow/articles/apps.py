from django.apps import AppConfig


class ArticlesConfig(AppConfig):
    name = "knowhow.articles"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow import pagecache
        from knowhow.articles.models import (
            LISTS_TAG,
            PEOPLE_TAG,
            TOPICS_TAG,
            Article,
            Person,
            Topic,
        )

        pagecache.follow(
            Article,
            lambda article: [article.cache_tag, LISTS_TAG],
            unseen=Article.NEWSROOM_FIELDS,
        )
        pagecache.follow(Topic, lambda topic: [topic.cache_tag, TOPICS_TAG])
        pagecache.follow(Person, lambda person: [person.cache_tag, PEOPLE_TAG])
