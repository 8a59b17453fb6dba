"""The workflow's one table of steps: the editor page offers exactly the steps the services
take, for every stage, status and person; a refusal says which kind it is by its code."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from knowhow.articles import services as workflow
from knowhow.articles import steps
from knowhow.articles.models import Article, Person, Topic
from knowhow.articles.services import NotAllowed
from knowhow.newsroom.editor import BUTTONS
from tests import people

pytestmark = pytest.mark.django_db

Stage = Article.Stage
Status = Article.Status


def _take(action: str, article: Article, by: User, other_writer: Person) -> str:
    """Take the step and undo it: "" when it was taken, else the refusal's code."""
    try:
        with transaction.atomic():
            if action == steps.REASSIGN:
                workflow.reassign_writer(article=article, by=by, writer=other_writer)
            else:
                at = timezone.now() + dt.timedelta(days=1) if action == steps.SCHEDULE else None
                workflow.take_step(action=action, article=article, by=by, note="A note.", at=at)
            transaction.set_rollback(True)
    except NotAllowed as refused:
        return refused.code
    return ""


def _put(article: Article, stage: str, status: str) -> Article:
    when = {Status.DRAFT: None, Status.SCHEDULED: timezone.now() + dt.timedelta(days=2)}
    published_at = when.get(status, timezone.now() - dt.timedelta(days=1))
    Article.objects.filter(pk=article.pk).update(
        stage=stage, status=status, published_at=published_at
    )
    return Article.objects.get(pk=article.pk)


def _offered(html: str) -> set[str]:
    """The steps the editor page offers, by the forms it shows."""
    return set(re.findall(r'id="step-([a-z_]+)"', html))


def test_the_page_offers_exactly_the_steps_the_services_take(topic: Topic) -> None:
    author = people.make_staff_writer()
    other = people.make_staff_writer("walt", "Walt Writer")
    editor = people.make_staff_editor()
    outsider = people.make_outsider()
    other_writer = Person.objects.get(user=other)
    draft = workflow.create_article(by=author, title="What is a Shin Splint?", topic=topic)
    browsers = {user: people.signed_in(user) for user in (author, other, editor)}
    for stage, status in itertools.product(Stage.values, Status.values):
        for user, browser in browsers.items():
            article = _put(draft, stage, status)
            page = browser.get(f"/newsroom/articles/{article.pk}/edit/")
            offered = _offered(page.content.decode()) if page.status_code == 200 else set()
            for action in steps.STEPS:
                code = _take(action, _put(draft, stage, status), user, other_writer)
                where = (stage, status, user.username, action)
                assert (action in offered) == (code == ""), where
                assert code in ("", steps.FORBIDDEN, steps.NOT_NOW), where
        for action in steps.STEPS:  # the outsider is refused every step
            assert _take(action, _put(draft, stage, status), outsider, other_writer) == (
                steps.FORBIDDEN
            )


def test_every_button_of_the_page_is_a_step_of_the_table() -> None:
    assert set(BUTTONS) == {a for a, step in steps.STEPS.items() if step.button}
    for step in steps.STEPS.values():
        assert step.label and step.done and step.fits
        assert (step.note == steps.REQUIRED) == bool(step.note_missing), step.action


def test_a_required_note_left_empty_is_refused_by_its_code(topic: Topic) -> None:
    editor = people.make_staff_editor()
    article = workflow.create_article(by=editor, title="Why?", topic=topic)
    workflow.submit_for_review(article=article, by=editor)
    for action in (steps.COMMENT, steps.REQUEST_CHANGES):
        with pytest.raises(NotAllowed) as refused:
            workflow.take_step(action=action, article=article, by=editor, note="  ")
        assert refused.value.code == steps.NOTE_MISSING
        assert str(refused.value) == steps.STEPS[action].note_missing
