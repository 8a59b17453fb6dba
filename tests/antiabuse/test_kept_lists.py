"""Bans and the blocklist are kept in memory, yet apply from the next post on."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from knowhow.antiabuse.addresses import address_of
from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.services import PostRefused, submit_post
from knowhow.moderation import services as moderation

ADDRESS = address_of("203.0.113.77")


def _post(article: Article, text: str) -> str:
    return submit_post(article=article, body=text, address=ADDRESS, form_age=30).post.status


def test_a_new_ban_applies_to_the_very_next_post(article: Article, moderator: User) -> None:
    first = submit_post(article=article, body="Before the ban.", address=ADDRESS, form_age=30)
    ban = moderation.ban(kind=Ban.Kind.ADDRESS, moderator=moderator, reason="spam", post=first.post)
    with pytest.raises(PostRefused):
        _post(article, "After the ban.")
    moderation.lift_ban(ban_record=ban, moderator=moderator)
    assert _post(article, "After the ban was lifted.") == "published"


def test_a_ban_that_runs_out_stops_applying_without_any_write(
    article: Article, moderator: User
) -> None:
    moderation.ban(
        kind=Ban.Kind.RANGE,
        moderator=moderator,
        reason="a noisy hour",
        cidr="203.0.113.0/24",
        expires_at=timezone.now() + dt.timedelta(seconds=3),
    )
    with pytest.raises(PostRefused):
        _post(article, "While the ban lasts.")
    time.sleep(3.1)
    assert _post(article, "Once the ban has run out.") == "published"


def test_a_newly_blocked_word_holds_the_very_next_post(article: Article, moderator: User) -> None:
    assert _post(article, "Casinos are not my thing.") == "published"
    moderation.block_term(kind="word", value="jackpot", moderator=moderator)
    assert _post(article, "Win the jackpot here today.") == "held"
