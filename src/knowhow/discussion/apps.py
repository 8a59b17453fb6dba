from django.apps import AppConfig


class DiscussionConfig(AppConfig):
    name = "knowhow.discussion"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow.discussion.forms import fill_issued
        from knowhow.pagecache.holes import register

        register("issued", fill_issued)
        from knowhow import pagecache
        from knowhow.discussion.models import Post

        pagecache.follow(Post, lambda post: [f"thread-{post.article_id}"])
