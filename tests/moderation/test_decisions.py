"""One table says which decision fits which post: the services, the queue's buttons and the
queue's actions all follow it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.template.loader import render_to_string

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import selectors
from knowhow.moderation.actions import ACTIONS, BULK_ACTIONS
from knowhow.moderation.decisions import FITS, UNDO, UNDOES
from knowhow.moderation.models import ModerationAction
from knowhow.moderation.services import AlreadyDecided, undo

STATUSES = list(Post.Status.values)


def test_every_decision_has_its_row_in_the_table() -> None:
    # Undo is the table's too, but reverses a log entry rather than deciding from the queue.
    assert set(ACTIONS) == set(FITS) - {UNDO}
    assert FITS[UNDO] == frozenset(UNDOES.values())
    assert all(action.statuses == FITS[name] for name, action in ACTIONS.items())
    assert set(BULK_ACTIONS) <= set(ACTIONS.values())


@pytest.mark.parametrize("name", list(ACTIONS))
@pytest.mark.parametrize("status", STATUSES)
def test_the_service_accepts_exactly_the_statuses_of_the_table(
    name: str,
    status: str,
    article: Article,
    moderator: User,
    report: Callable[..., None],
) -> None:
    post = post_comment(article=article, body="A post to decide on.")
    report(post)  # open reports, so dismissing has something to do
    Post.objects.filter(pk=post.pk).update(status=status)
    post.refresh_from_db()
    if status in FITS[name]:
        ACTIONS[name].service(post=post, moderator=moderator, note="")
    else:
        with pytest.raises(AlreadyDecided):
            ACTIONS[name].service(post=post, moderator=moderator, note="")
        assert Post.objects.get(pk=post.pk).status == status


@pytest.mark.parametrize("status", STATUSES)
def test_the_queue_offers_exactly_the_decisions_that_fit(
    status: str, article: Article, report: Callable[..., None]
) -> None:
    post = post_comment(article=article, body="A reported post in the queue.")
    report(post)
    Post.objects.filter(pk=post.pk).update(status=status)
    shown = selectors.moderated_posts().get(pk=post.pk)
    html = render_to_string("moderation/partials/queue_item.html", {"post": shown})
    for name, action in ACTIONS.items():
        assert (f'name="action" value="{name}"' in html) == (status in action.statuses), name


@pytest.mark.parametrize("decision", list(UNDOES))
@pytest.mark.parametrize("status", STATUSES)
def test_undo_accepts_exactly_the_status_its_decision_left(
    decision: str, status: str, article: Article, moderator: User
) -> None:
    post = post_comment(article=article, body="A post decided on.")
    entry = ModerationAction.objects.create(
        actor=moderator, action=decision, post=post, previous_status=Post.Status.PUBLISHED
    )
    Post.objects.filter(pk=post.pk).update(status=status)
    if status == UNDOES[decision]:
        undo(entry=entry, moderator=moderator)
        assert Post.objects.get(pk=post.pk).status == Post.Status.PUBLISHED
    else:
        with pytest.raises(AlreadyDecided):
            undo(entry=entry, moderator=moderator)
        assert Post.objects.get(pk=post.pk).status == status


def test_dismiss_is_offered_only_on_a_reported_post(article: Article) -> None:
    post = post_comment(article=article, body="Nobody reported this one.")
    html = render_to_string(
        "moderation/partials/queue_item.html", {"post": selectors.moderated_posts().get(pk=post.pk)}
    )
    assert 'value="remove"' in html and 'value="dismiss"' not in html
