"""Moderators hear of newly held posts: one email, at most hourly, through the task queue,
listing the posts held since their last one with links to them and to the queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.test import Client

from knowhow.articles.models import Article
from knowhow.moderation.models import HeldDigest
from tests import people


@pytest.fixture(autouse=True)
def _hold_anonymous(settings: Any) -> None:
    settings.HOLD_ANONYMOUS_POSTS = True
    settings.SITE_URL = "https://notes.example.org"


def _digests() -> list[Any]:
    return [m for m in mail.outbox if "awaiting moderation" in m.subject]


def test_held_posts_reach_each_moderator_in_one_email_an_hour(
    article: Article,
    moderator: User,
    reader: User,
    publish: Any,
    run_worker: Any,
    clock: Any,
) -> None:
    publish(article=article, body="Held for a look, the first.")
    publish(article=article, body="Held for a look, the second.")
    publish(article=article, body="Not held: a reader's post.", author=reader)
    assert _digests() == []  # the held post only queued the digest
    run_worker()
    (digest,) = _digests()
    assert digest.to == [moderator.email]
    assert digest.subject.endswith("2 posts awaiting moderation")
    assert "Post 1 by an anonymous reader" in digest.body
    assert "Post 2 by an anonymous reader" in digest.body
    assert "Not held" not in digest.body and "Post 3" not in digest.body
    assert "https://notes.example.org/moderation/" in digest.body
    assert f"https://notes.example.org{article.get_absolute_url()}" in digest.body

    publish(article=article, body="Held a minute later.")
    publish(article=article, body="Held two minutes later.")
    run_worker()
    assert len(_digests()) == 1  # not within the hour
    clock.advance(3601)
    run_worker()
    assert len(_digests()) == 2
    later = _digests()[1]
    assert "Post 4" in later.body and "Post 5" in later.body and "Post 1" not in later.body


def test_readers_and_outsiders_get_no_digest(
    article: Article, moderator: User, reader: User, outsider: User, publish: Any, run_worker: Any
) -> None:
    publish(article=article, body="Held for a look.")
    run_worker()
    recipients = {address for m in _digests() for address in m.to}
    assert recipients == {moderator.email}


def test_a_moderator_who_opted_out_gets_none(
    article: Article, moderator: User, publish: Any, run_worker: Any
) -> None:
    other = people.make_moderator("second_moderator")
    HeldDigest.objects.create(user=moderator, wanted=False, told_up_to=article.published_at)
    publish(article=article, body="Held for a look.")
    run_worker()
    assert [m.to for m in _digests()] == [[other.email]]


def test_a_post_approved_before_the_digest_goes_is_not_listed(
    article: Article, moderator: User, publish: Any, run_worker: Any
) -> None:
    held = publish(article=article, body="Held, then approved at once.")
    held.status = held.Status.PUBLISHED
    held.save()
    run_worker()
    assert _digests() == []


def test_a_digest_that_failed_on_the_mail_server_is_sent_once_later(
    article: Article, moderator: User, publish: Any, run_worker: Any, clock: Any, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "tests.notifications.mail_backends.BrokenServer"
    publish(article=article, body="Held while the mail server is down.")
    run_worker()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    clock.advance(61)
    run_worker()
    clock.advance(3600 * 24)
    run_worker()
    assert len(_digests()) == 1


def test_a_moderator_turns_the_digest_off_in_their_settings(
    article: Article, moderator: User, client: Client, publish: Any, run_worker: Any
) -> None:
    client.force_login(moderator)
    page = client.get("/accounts/settings/").content.decode()
    assert 'name="held_digest"' in page and "checked" in page.split('name="held_digest"')[1][:80]
    assert client.post("/accounts/settings/", {}).status_code == 302  # both boxes unticked
    publish(article=article, body="Held for a look.")
    run_worker()
    assert _digests() == []
    client.post("/accounts/settings/", {"held_digest": "on"})
    publish(article=article, body="Held again.")
    run_worker()
    assert len(_digests()) == 1


def test_a_reader_has_no_digest_box(reader: User, client: Client) -> None:
    client.force_login(reader)
    assert "held_digest" not in client.get("/accounts/settings/").content.decode()
    client.post("/accounts/settings/", {"held_digest": "on"})
    assert not HeldDigest.objects.exists()


def test_a_queue_that_runs_tasks_at_once_sends_the_digest_at_once(
    article: Article, moderator: User, publish: Any, settings: Any
) -> None:
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    publish(article=article, body="Held, with no worker to wait for.")
    assert len(_digests()) == 1
