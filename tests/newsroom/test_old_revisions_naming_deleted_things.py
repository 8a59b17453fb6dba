"""Old revisions may name a topic, reviewer or picture deleted since. Restoring or
publishing one never breaks the article (no error page, no row pointing at nothing): a
deleted picture is left out, a deleted topic or reviewer is refused with what to do, and a
scheduled article that cannot go out does not stop the others."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Revision, Topic
from knowhow.images.models import Image
from knowhow.images.services import upload_image
from tests import people
from tests.images.pictures import jpeg, upload

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


def _picture() -> Image:
    return upload_image(file=upload(jpeg(80, 60)), alt="A runner", by=None)


def test_restoring_a_revision_whose_topic_was_deleted_is_refused_with_what_to_do(
    writer_account: User, topic: Topic
) -> None:
    article = workflow.create_article(by=writer_account, title="A Stitch", topic=topic, body="W.")
    other = Topic.objects.create(name="Swimming", slug="swimming")
    workflow.save_revision(article=article, by=writer_account, content={"topic": other.pk}, base=1)
    topic.delete()
    response = people.signed_in(writer_account).post(
        f"/newsroom/articles/{article.pk}/history/1/restore/", follow=True
    )
    assert "The topic of revision 1 was deleted since" in response.content.decode()
    article.refresh_from_db()
    assert article.topic_id == other.pk and Revision.objects.filter(article=article).count() == 2


def test_publishing_a_revision_whose_reviewer_was_deleted_is_refused(
    writer_account: User, editor_account: User, topic: Topic
) -> None:
    article = workflow.create_article(by=writer_account, title="A Stitch", topic=topic, body="W.")
    workflow.publish(article=article, by=editor_account)
    doctor = Person.objects.create(name="Dr Gone", slug="gone")
    workflow.save_revision(
        article=article, by=editor_account, base=1,
        content={"reviewed_by": doctor.pk, "reviewed_on": timezone.localdate().isoformat()},
    )  # fmt: skip
    doctor.delete()  # the live article does not name them yet
    response = people.signed_in(editor_account).post(f"/newsroom/articles/{article.pk}/do/publish/")
    assert response.status_code == 400
    assert "The reviewer named in revision 2 was deleted since" in response.content.decode()
    assert "Reviewed By" not in Client().get(article.get_absolute_url()).content.decode()


def test_restoring_a_revision_whose_picture_was_deleted_restores_it_without_the_picture(
    writer_account: User, topic: Topic
) -> None:
    picture = _picture()
    article = workflow.create_article(
        by=writer_account, title="A Stitch", topic=topic, body="Old words.", lead_image=picture
    )
    workflow.save_revision(article=article, by=writer_account, content={"body": "New."}, base=1)
    picture.delete()
    workflow.restore_revision(article=article, by=writer_account, number=1)
    article.refresh_from_db()
    assert article.body == "Old words." and article.lead_image_id is None


def test_a_scheduled_article_whose_picture_was_deleted_goes_out_without_it_and_others_too(
    writer_account: User, editor_account: User, topic: Topic
) -> None:
    picture = _picture()
    first = workflow.create_article(
        by=writer_account, title="First", topic=topic, body="One.", lead_image=picture
    )
    second = workflow.create_article(by=writer_account, title="Second", topic=topic, body="Two.")
    soon = timezone.now() + dt.timedelta(hours=1)
    for article in (first, second):
        workflow.publish(article=article, by=editor_account, at=soon)
    picture.delete()
    with time_machine.travel(soon + dt.timedelta(minutes=1)):
        assert workflow.publish_due(now=timezone.now()) == 2
        for article in (first, second):
            article.refresh_from_db()
            assert article.status == Article.Status.PUBLISHED
            assert Client().get(article.get_absolute_url()).status_code == 200
    assert first.lead_image_id is None
