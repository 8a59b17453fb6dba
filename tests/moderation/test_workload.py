"""The dashboard counts removals, reports, bans, appeals and each moderator's actions over
the last 30 days, and the median time from a post being held or reported to a decision."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib.auth.models import User
from django.test import Client
from django.utils import timezone

from knowhow.antiabuse.models import Ban
from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.moderation import services
from knowhow.moderation.models import Flag, ModerationAction
from knowhow.moderation.workload import duration, workload
from tests.pages import visible_text
from tests.people import make_moderator

DASHBOARD = "/moderation/dashboard/"


def test_each_moderators_work_is_counted_with_the_median_wait(
    article: Article,
    moderator: User,
    mod_client: Client,
    held_post: Callable[..., Post],
    report: Callable[..., None],
) -> None:
    other = make_moderator("ola")
    now = timezone.now()
    waits = [dt.timedelta(minutes=10), dt.timedelta(minutes=30), dt.timedelta(hours=2)]
    for wait, who in zip(waits, [moderator, moderator, other], strict=True):
        post = held_post(article)
        ModerationAction.objects.filter(post=post).update(created_at=now - wait)
        services.reject(post=post, moderator=who)
    shown = services.approve(post=held_post(article), moderator=moderator)
    report(shown, times=1)
    Flag.objects.filter(post=shown).update(created_at=now - dt.timedelta(hours=5))
    services.remove_post(post=shown, moderator=other, note="Rude.")
    services.ban(kind=Ban.Kind.RANGE, moderator=other, reason="Bots.", cidr="192.0.2.0/24")

    work = workload(now=now + dt.timedelta(seconds=1))
    assert (work.removals, work.reports, work.bans, work.appeals) == (1, 1, 1, 0)
    by_name = {w.name: w.counts for w in work.moderators}
    assert by_name["moderator"] == {"reject": 2, "approve": 1}
    assert by_name["ola"] == {"reject": 1, "remove": 1, "ban": 1}
    # Rejections after 10 min, 30 min and 2 h; the approval and the removal of the post
    # first reported 5 h ago: the median of the five is 2 h.
    assert work.timed == 5
    assert duration(work.median_wait) == "2 h 0 min"

    text = visible_text(mod_client.get(DASHBOARD).content)
    assert "Removals 1 Reports 1 Bans 1 Appeals 0 Median wait 2 h 0 min" in text
    assert "moderator 1 2 0 0 0 0 0 0 3" in text and "ola 0 1 1 0 0 0 1 0 3" in text


def test_an_empty_month_says_so(mod_client: Client) -> None:
    text = visible_text(mod_client.get(DASHBOARD).content)
    assert "Median wait —" in text and "No moderator acted in the last 30 days." in text
