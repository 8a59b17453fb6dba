from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "knowhow.newsroom"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from knowhow.articles.events import published
        from knowhow.newsroom.question_mail import queue_answer_emails

        published.connect(queue_answer_emails, dispatch_uid="knowhow.newsroom.answer-emails")
