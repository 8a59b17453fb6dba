from django.apps import AppConfig


class NewsroomConfig(AppConfig):
    name = "knowhow.newsroom"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib.auth.models import User
        from django.db.models.signals import pre_delete

        from knowhow.articles.events import published, step_taken
        from knowhow.newsroom.answer_mail import queue_answer_emails
        from knowhow.newsroom.events import joined_an_answer
        from knowhow.newsroom.question_services import forget_asker
        from knowhow.newsroom.telling import tell_of_step

        published.connect(queue_answer_emails, dispatch_uid="knowhow.newsroom.answer-emails")
        joined_an_answer.connect(
            queue_answer_emails, dispatch_uid="knowhow.newsroom.answer-emails-merged"
        )
        pre_delete.connect(forget_asker, sender=User, dispatch_uid="knowhow.newsroom.forget-asker")
        step_taken.connect(tell_of_step, dispatch_uid="knowhow.newsroom.tell-of-steps")
