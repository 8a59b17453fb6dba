from typing import Any

from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "knowhow.discussion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow.discussion.forms import fill_issued, fill_shared_issued
        from knowhow.pagecache.holes import register, register_shared

        register("issued", fill_issued)
        register_shared("issued", fill_shared_issued)
        from django.contrib.auth.models import User
        from django.db.models.signals import post_save

        from knowhow import pagecache
        from knowhow.articles.models import thread_tag
        from knowhow.discussion.models import Post
        from knowhow.discussion.services import threads_changed

        pagecache.follow(Post, lambda post: [thread_tag(post.article_id)])

        def renamed(sender: type[User], instance: User, **kwargs: Any) -> None:
            fields = kwargs.get("update_fields")
            if fields is None or "username" in fields:  # not a sign-in's last_login
                threads_changed(Post.objects.filter(author=instance))

        post_save.connect(renamed, sender=User, weak=False, dispatch_uid="posts-author-renamed")
