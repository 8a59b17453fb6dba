"""The guard learns from "Mark spam": Akismet is told (submit-spam) through the task queue
when it is configured, and the marked post's text and links hold their repeats anywhere on
the site, with a reason naming the post; undoing the mark forgets them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import edit_own_post, post_comment
from knowhow.moderation import services
from knowhow.moderation.models import ModerationAction
from tests.conftest import form_data
from tests.people import make_account, signed_in

SPAM = "Cheap pills for every ache, delivered to your door overnight!"
LINKS = "Look: [deal](https://pills.example/buy?ref=1) and [more](https://pills.example/more)"


@pytest.fixture
def other_article(make_article: Callable[..., Article]) -> Article:
    return make_article(title="Why do Knees Click?")


def mark(mod_client: Client, post: Post) -> None:
    data = {"action": "spam", "note": "advert"}
    answer = mod_client.post(reverse("moderation-post-action", args=[post.pk]), data)
    assert answer.status_code == 302


def send(article: Article, body: str, client: Client | None = None) -> Post:
    answer = (client or Client()).post(
        f"{article.get_absolute_url()}posts/", form_data(article, body), REMOTE_ADDR="192.0.2.77"
    )
    assert answer.status_code == 302
    return Post.objects.filter(article=article).latest("pk")


def test_a_repeat_of_a_post_marked_spam_is_held_anywhere_naming_it(
    article: Article, other_article: Article, mod_client: Client
) -> None:
    spammer = make_account("spammer")
    marked = post_comment(article=article, body=SPAM, author=spammer)
    mark(mod_client, marked)
    # Another reader, another article, the same words in other case and spacing.
    repeat = send(other_article, "CHEAP pills for every ache,   delivered to your door overnight")
    assert repeat.status == Post.Status.HELD
    assert repeat.held_because.startswith(
        "the same text as Post 1 on “What is a Muscle Cramp?”, marked spam"
    )
    # Held, not dropped: it waits in the queue with its reason.
    assert "the same text as Post 1" in mod_client.get("/moderation/").content.decode()


def test_the_same_links_under_new_words_are_held(
    article: Article, other_article: Article, mod_client: Client
) -> None:
    mark(mod_client, post_comment(article=article, body=LINKS))
    reader = make_account("regular")
    repeat = send(
        other_article,
        "Fresh words: [a](https://PILLS.example/more/) and [b](https://pills.example/buy?ref=2)",
        signed_in(reader),
    )
    assert repeat.status == Post.Status.HELD
    assert "the same links as Post 1" in repeat.held_because


def test_an_edit_into_a_marked_text_is_held(
    article: Article, other_article: Article, mod_client: Client
) -> None:
    mark(mod_client, post_comment(article=article, body=SPAM))
    innocent = post_comment(article=other_article, body="A fine question about knees.")
    edit_own_post(post=innocent, body=SPAM)
    innocent.refresh_from_db()
    assert innocent.status == Post.Status.HELD and "marked spam" in innocent.held_because


def test_short_texts_are_not_learned(
    article: Article, other_article: Article, moderator: User
) -> None:
    services.mark_spam(post=post_comment(article=article, body="Thanks!"), moderator=moderator)
    assert send(other_article, "Thanks!").status == Post.Status.PUBLISHED


def test_undoing_the_mark_forgets_it(
    article: Article,
    other_article: Article,
    moderator: User,
    make_article: Callable[..., Article],
) -> None:
    old = post_comment(article=article, body=SPAM)
    # Marked last week: today's "posted elsewhere today" has nothing to say about it.
    Post.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=7))
    services.mark_spam(post=old, moderator=moderator)
    assert send(other_article, SPAM).status == Post.Status.HELD
    entry = ModerationAction.objects.get(action=ModerationAction.Action.SPAM)
    services.undo(entry=entry, moderator=moderator)
    # (The copy just held still counts as "posted elsewhere today", a signal of its own.)
    again = send(make_article(title="Is Ice Good for Sprains?"), SPAM)
    assert "marked spam" not in again.held_because


def test_marking_spam_tells_akismet_through_the_task_queue(
    article: Article,
    mod_client: Client,
    akismet: list[tuple[str, dict[str, str]]],
    run_worker: Callable[[], None],
    django_capture_on_commit_callbacks: Any,
) -> None:
    post = post_comment(article=article, body=SPAM, author=make_account("spammer"))
    with django_capture_on_commit_callbacks(execute=True):
        mark(mod_client, post)
    told = [(path, form) for path, form in akismet if path != "/1.1/comment-check"]
    assert told == []  # queued, not sent during the moderator's request
    run_worker()
    ((path, form),) = [(path, form) for path, form in akismet if path != "/1.1/comment-check"]
    assert path == "/1.1/submit-spam"
    assert form["comment_content"] == SPAM and form["comment_author"] == "spammer"
    assert form["permalink"].endswith(post.get_absolute_url())


def test_marking_spam_queues_nothing_when_akismet_is_off(
    article: Article, moderator: User, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_spam(post=post_comment(article=article, body=SPAM), moderator=moderator)
    assert not DBTaskResult.objects.filter(task_path__contains="report_spam").exists()
