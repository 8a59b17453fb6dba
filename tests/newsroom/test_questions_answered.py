"""When the draft a question became is published, every asker of it and of its merged
duplicates who left an email is told, once, by the task worker; nobody else is."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Topic
from knowhow.newsroom import question_services as services
from knowhow.newsroom import telling
from knowhow.newsroom.models import Question

pytestmark = pytest.mark.django_db

SITE = "https://knowhow.example.org"
TITLE = "Why Do Cramps Come at Night?"


@pytest.fixture(autouse=True)
def _site_address(settings: Any) -> None:
    settings.SITE_URL = SITE


@pytest.fixture(autouse=True)
def _staff_emails_off(writer_account: User, editor_account: User) -> None:
    """These count the askers' emails; the staff's own (test_people_are_told) are off."""
    for user in (writer_account, editor_account):
        telling.set_step_emails(user=user, on=False)


@pytest.fixture
def publish(
    django_capture_on_commit_callbacks: Any, editor_account: User
) -> Callable[[Article], None]:
    """Publish as an editor, with the after-commit announcement a real request makes."""

    def publish(article: Article) -> None:
        with django_capture_on_commit_callbacks(execute=True):
            workflow.publish(article=article, by=editor_account)

    return publish


@pytest.fixture
def asked(
    editor_account: User, writer_account: User, reader: User, topic: Topic
) -> dict[str, Question]:
    """A question turned into a draft, two duplicates merged into it and one declined."""
    main = Question.objects.create(
        text="Why do my calves cramp at night? Signed, Pat", asker_name="Pat",
        email="pat@example.net",
    )  # fmt: skip
    same = Question.objects.create(text="Night cramps: why?", asker=reader, email=reader.email)
    silent = Question.objects.create(text="Cramps at night, why??", asker_name="No Mail")
    declined = Question.objects.create(text="Lottery numbers?", email="lucky@example.net")
    for duplicate in (same, silent):
        services.merge_question(question=duplicate, into=main, by=editor_account)
    services.decline_question(question=declined, by=editor_account)
    services.turn_into_draft(
        question=main, by=editor_account, title=TITLE, topic=topic,
        writer=Person.objects.get(user=writer_account),
    )  # fmt: skip
    main.refresh_from_db()
    return {"main": main, "same": same, "silent": silent, "declined": declined}


def test_publishing_the_answer_emails_each_asker_who_left_an_address_once(
    asked: dict[str, Question], publish: Callable[[Article], None], run_worker: Any, reader: User
) -> None:
    article = asked["main"].draft
    assert article is not None
    publish(article)
    assert mail.outbox == []  # queued: the editor's request sends nothing itself
    run_worker()
    assert sorted(m.to[0] for m in mail.outbox) == ["pat@example.net", reader.email]
    for message in mail.outbox:
        assert message.subject == f"[Knowhow] Your question is answered: “{TITLE}”"
        assert f"{SITE}/articles/{article.slug}/" in message.body and TITLE in message.body
        # Nothing a reader wrote: not the question, not a name.
        assert "calves" not in message.body and "Pat" not in message.body
        assert "Night cramps" not in message.body
    main = Question.objects.get(pk=asked["main"].pk)
    assert main.state == Question.State.ANSWERED and main.answered_at is not None
    assert Question.objects.filter(notified_at__isnull=False).count() == 2
    assert Question.objects.get(pk=asked["declined"].pk).notified_at is None


def test_republishing_the_answer_tells_nobody_again(
    asked: dict[str, Question],
    publish: Callable[[Article], None],
    run_worker: Any,
    editor_account: User,
) -> None:
    article = asked["main"].draft
    assert article is not None
    publish(article)
    run_worker()
    assert len(mail.outbox) == 2
    article.refresh_from_db()
    assert article.latest_revision is not None
    workflow.save_revision(
        article=article, by=editor_account, content={"body": "A better answer."},
        base=article.latest_revision.number,
    )  # fmt: skip
    publish(article)
    workflow.unpublish(article=article, by=editor_account)
    publish(article)
    run_worker()
    assert len(mail.outbox) == 2


def test_an_asker_with_two_merged_questions_gets_one_email(
    asked: dict[str, Question],
    publish: Callable[[Article], None],
    run_worker: Any,
    editor_account: User,
) -> None:
    again = Question.objects.create(text="Calf cramps at night", email="PAT@example.net")
    services.merge_question(question=again, into=asked["main"], by=editor_account)
    article = asked["main"].draft
    assert article is not None
    publish(article)
    run_worker()
    assert sorted(m.to[0].lower() for m in mail.outbox).count("pat@example.net") == 1
    assert Question.objects.get(pk=again.pk).notified_at is not None


def test_publishing_an_article_no_question_became_emails_nobody(
    asked: dict[str, Question],
    publish: Callable[[Article], None],
    run_worker: Any,
    writer_account: User,
    topic: Topic,
) -> None:
    other = workflow.create_article(by=writer_account, title="What is a Stitch?", topic=topic)
    publish(other)
    run_worker()
    assert mail.outbox == []
    assert Question.objects.get(pk=asked["main"].pk).state == Question.State.DRAFTED


def test_a_duplicate_merged_after_publication_is_told_at_once(
    asked: dict[str, Question],
    publish: Callable[[Article], None],
    run_worker: Any,
    editor_account: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = asked["main"].draft
    assert article is not None
    publish(article)
    run_worker()
    assert len(mail.outbox) == 2
    late = Question.objects.create(text="Late one", email="late@example.net")
    main = Question.objects.get(pk=asked["main"].pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.merge_question(question=late, into=main, by=editor_account)
    run_worker()
    assert [m.to for m in mail.outbox[2:]] == [["late@example.net"]]


def test_nothing_merges_into_a_declined_question(
    asked: dict[str, Question], editor_account: User
) -> None:
    late = Question.objects.create(text="Late one", email="late@example.net")
    with pytest.raises(workflow.NotAllowed, match="is declined"):
        services.merge_question(question=late, into=asked["declined"], by=editor_account)


def test_the_email_is_tried_again_when_the_mail_server_is_down(
    asked: dict[str, Question],
    publish: Callable[[Article], None],
    run_worker: Any,
    settings: Any,
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.BrokenServer"
    article = asked["main"].draft
    assert article is not None
    publish(article)
    run_worker()
    assert not Question.objects.filter(notified_at__isnull=False).exists()
    waiting = DBTaskResult.objects.filter(status="READY", task_path__endswith="tell_asker")
    assert waiting.count() == 2 and all(t.run_after > timezone.now() for t in waiting)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=2), tick=False):
        run_worker()
    assert len(mail.outbox) == 2
    assert Question.objects.filter(notified_at__isnull=False).count() == 2


def test_an_answer_scheduled_for_later_tells_the_askers_when_it_goes_live(
    asked: dict[str, Question],
    run_worker: Any,
    editor_account: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    article = asked["main"].draft
    assert article is not None
    at = timezone.now() + dt.timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.publish(article=article, by=editor_account, at=at)
    run_worker()
    assert mail.outbox == [] and Question.objects.get(pk=asked["main"].pk).state == "drafted"
    with time_machine.travel(at + dt.timedelta(minutes=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            run_worker()  # publishes it
        run_worker()  # tells the askers
    assert sorted(m.to[0] for m in mail.outbox) == ["pat@example.net", "reader@example.org"]
