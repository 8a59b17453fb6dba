"""A kept (cached) article page follows the newsroom's review writes at once: a review
recorded and published, the reviewer's name changed, the review taken off again."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from knowhow.articles import services as workflow
from knowhow.articles.models import Article, Person, Topic
from tests.pagecache.conftest import Clock, Server

pytestmark = pytest.mark.django_db(transaction=True)


def _kept(server: Server, path: str) -> str:
    server.request(path)
    page = server.request(path)
    assert page.status == 200 and page.cache == "HIT"
    return page.text


def _review(article: Article, by: User, reviewer: Person | None) -> None:
    article.refresh_from_db()
    assert article.latest_revision is not None
    on = timezone.localdate().isoformat() if reviewer else None
    workflow.save_revision(
        article=article, by=by, base=article.latest_revision.number,
        content={"reviewed_by": reviewer.pk if reviewer else None, "reviewed_on": on},
    )  # fmt: skip
    workflow.publish(article=article, by=by)


def test_review_writes_show_on_the_kept_page_at_once(
    writer_account: User, editor_account: User, topic: Topic
) -> None:
    article = workflow.create_article(by=writer_account, title="A Stitch", topic=topic, body="W.")
    workflow.publish(article=article, by=editor_account)
    server = Server(Clock())
    path = article.get_absolute_url()
    assert "Reviewed By" not in _kept(server, path)
    doctor = Person.objects.create(name="Dr Vera Checker", slug="vera")
    _review(article, editor_account, doctor)
    assert "Dr Vera Checker" in server.request(path).text
    assert "Dr Vera Checker" in _kept(server, path)
    doctor.name = "Dr Vera Renamed"
    doctor.save()
    assert "Dr Vera Renamed" in server.request(path).text
    _kept(server, path)
    _review(article, editor_account, None)
    after = server.request(path).text
    assert "Reviewed By" not in after and "Last reviewed" not in after
