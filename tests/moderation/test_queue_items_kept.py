"""Each item of the queue is kept by what it shows: a queue drawn anew after a write draws
only the items the write changed, and shows the change (test_queue_kept.py holds every kind
of change to it); an item one moderator just decided stays theirs."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import services
from knowhow.pagecache.fragments import fragments
from tests.pages import visible_text
from tests.people import make_moderator, signed_in

QUEUE_ITEM = "moderation/partials/queue_item.html"


def _queue(client: Client) -> tuple[str, int]:
    """The queue's page, and how many of its items were drawn for it (not kept)."""
    response = client.get(reverse("moderation-queue"))
    assert response.status_code == 200
    return response.content.decode(), sum(1 for t in response.templates if t.name == QUEUE_ITEM)


def test_a_queue_drawn_anew_draws_only_the_items_a_write_changed(
    moderator: User, article: Article, held_post: Callable[..., Post], report: Callable[..., None]
) -> None:
    held = [held_post(article) for _ in range(3)]
    reported = post_comment(article=article, body="Vinegar cures every illness.")
    report(reported, reason="harmful")
    browser = signed_in(moderator)
    assert _queue(browser)[1] == 4
    services.edit_post(
        post=held[1], moderator=moderator, body="Held, and now edited.", note="link removed"
    )
    page, drawn = _queue(browser)
    assert drawn == 1 and "Held, and now edited." in page
    report(reported, times=2, reason="harmful", note="Someone could drink it.")
    page, drawn = _queue(browser)
    assert drawn == 1 and "Someone could drink it." in page


def test_an_item_just_decided_stays_with_the_moderator_who_decided(
    moderator: User, article: Article, held_post: Callable[..., Post]
) -> None:
    held = held_post(article, body="Buy cheap watches here, held for a look.")
    other = held_post(article, body="Another held post, still waiting.")
    first, second = signed_in(moderator), signed_in(make_moderator("keeper"), Client())
    _queue(first)
    first.post(reverse("moderation-post-action", args=[held.pk]), {"action": "reject"})
    mine = visible_text(_queue(first)[0].encode())
    assert "by you" in mine and "Undo" in mine
    fragments().clear(keep_content=True)  # drawn anew for the other, from kept items
    theirs, drawn = _queue(second)
    assert drawn == 0  # the waiting item came kept
    assert "Another held post, still waiting." in theirs and other.body in theirs
    assert "Buy cheap watches here" not in theirs and "by you" not in visible_text(theirs.encode())
