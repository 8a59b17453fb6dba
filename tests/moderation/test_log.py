"""The moderation log: every decision, newest first, with who made it and why."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.moderation import services
from knowhow.moderation.models import ModerationAction
from tests.pages import assert_in_order, visible_text

LOG = "/moderation/log/"


def test_empty_log_says_so(mod_client: Client) -> None:
    assert "Nothing has been logged yet." in visible_text(mod_client.get(LOG).content)


def test_log_lists_every_action_newest_first_with_who_and_why(
    article: Article, mod_client: Client, moderator: User, held_post: Callable[..., Post]
) -> None:
    post = held_post(article, "Bananas cure everything, see my shop.")
    services.edit_post(
        post=post, moderator=moderator, body="Bananas cure everything.", note="Shop removed."
    )
    services.approve(post=post, moderator=moderator, note="Fine now.")
    services.ban(kind=Ban.Kind.RANGE, moderator=moderator, reason="Scraper.", cidr="192.0.2.0/24")
    services.block_term(kind="word", value="casino", moderator=moderator)
    html = mod_client.get(LOG).content.decode()
    text = visible_text(html)
    assert_in_order(
        text,
        [
            "moderator Blocklist changed — blocked word casino",
            "moderator Banned: 192.0.2.0/24 — Scraper.",
            "moderator Approved Post 1 on What is a Muscle Cramp? by anonymous Fine now.",
            "moderator Edited Post 1 on What is a Muscle Cramp? by anonymous Shop removed. "
            "Before Bananas cure everything, see my shop. After Bananas cure everything.",
            "automatic Held automatically Post 1 on What is a Muscle Cramp? by anonymous "
            "anonymous posts need approval",
        ],
    )
    assert reverse("post-permalink", args=[article.slug, 1]) in html


def test_log_is_paged_fifty_at_a_time(mod_client: Client, moderator: User) -> None:
    for i in range(55):
        ModerationAction.objects.create(
            actor=moderator, action=ModerationAction.Action.BLOCK_TERM, note=f"entry {i}"
        )
    first = visible_text(mod_client.get(LOG).content)
    assert "entry 54" in first and "entry 5 " in first and "entry 4 " not in first
    assert "Page 1 of 2" in first
    second = visible_text(mod_client.get(LOG + "?page=2").content)
    assert "entry 4 " in second and "entry 0 " in second
