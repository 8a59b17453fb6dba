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
            translations_tag,
        )

        pagecache.follow(
            Article,
            lambda article: [
                article.cache_tag,
                LISTS_TAG,
                # Its original's and translations' pages ("Read in", hreflang), and theirs
                # before it moved to another original.
                article.translations_tag,
                *(
                    [translations_tag(old)]
                    if (old := getattr(article, "loaded_group", None))
                    else []
                ),
            ],
            unseen=Article.NEWSROOM_FIELDS,
        )
        pagecache.follow(Topic, lambda topic: [topic.cache_tag, TOPICS_TAG])
        pagecache.follow(Person, lambda person: [person.cache_tag, PEOPLE_TAG])

        from django.db.models.signals import post_delete, post_save

        from knowhow.images.in_bodies import DRAWN_FIELDS
        from knowhow.images.models import Image

        def redraw_bodies(sender: type, instance: Image, **kwargs: object) -> None:
            """Bodies showing a picture are drawn again when its words or copies change or it
            goes: their stored HTML then holds the new alt text, and their pages are purged."""
            fields = kwargs.get("update_fields")
            if isinstance(fields, frozenset | set) and not fields & DRAWN_FIELDS:
                return
            for article in Article.objects.showing_picture(instance.pk):
                article.redraw_body()

        post_save.connect(redraw_bodies, sender=Image, weak=False, dispatch_uid="redraw")
        post_delete.connect(redraw_bodies, sender=Image, weak=False, dispatch_uid="redraw")
