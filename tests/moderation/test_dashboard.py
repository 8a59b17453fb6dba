"""The dashboard: thirty days of posts and decisions, as an SVG chart and as a table."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from knowhow.articles.models import Article
from knowhow.discussion.models import Post
from knowhow.discussion.services import post_comment
from knowhow.moderation import selectors, services
from knowhow.moderation.models import ModerationAction
from knowhow.pagecache.fragments import fragments
from tests.pages import visible_text

DASHBOARD = "/moderation/dashboard/"


def table_rows(html: str) -> dict[str, list[int]]:
    """The accessible table: each day (YYYY-MM-DD) with its posts, held, approved, rejected."""
    rows = re.findall(
        r'<tr><th scope="row"><time datetime="([\d-]+)">[^<]*</time></th>((?:<td>\d+</td>)+)</tr>',
        html,
    )
    return {day: [int(n) for n in re.findall(r"\d+", cells)] for day, cells in rows}


def days_ago(n: int, hour: int = 12) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=n)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def at(entry_filter: dict[str, object], moment: dt.datetime) -> None:
    ModerationAction.objects.filter(**entry_filter).update(created_at=moment)


@pytest.fixture
def busy_month(
    article: Article, moderator: User, reader: User, held_post: Callable[..., Post]
) -> None:
    """Today: 3 posts, 2 held, 1 approved, 1 rejected. Three days ago: 1 post, marked spam.
    Forty days ago: 1 post, outside the window."""
    for i in range(2):
        post_comment(article=article, body=f"Signed post {i}.", author=reader)
    approved, rejected = held_post(article), held_post(article)
    services.approve(post=approved, moderator=moderator)
    services.reject(post=rejected, moderator=moderator)
    Post.objects.filter(pk=rejected.pk).delete()  # its log stays; three posts remain today
    old = post_comment(article=article, body="Earlier spam.", author=reader, now=days_ago(3))
    services.mark_spam(post=old, moderator=moderator)
    at({"post": old}, days_ago(3))
    post_comment(article=article, body="Long ago.", author=reader, now=days_ago(40))


def test_dashboard_table_counts_each_day(mod_client: Client, busy_month: None) -> None:
    html = mod_client.get(DASHBOARD).content.decode()
    rows = table_rows(html)
    assert len(rows) == 30
    today, three_days_ago = timezone.localdate(), timezone.localdate() - dt.timedelta(days=3)
    assert rows[today.isoformat()] == [3, 2, 1, 1]
    assert rows[three_days_ago.isoformat()] == [1, 0, 0, 1]
    assert sum(sum(counts) for counts in rows.values()) == 9
    assert list(rows)[0] == (today - dt.timedelta(days=29)).isoformat()
    text = visible_text(html)
    assert "Posts 4 Held 2 Approved 1 Rejected 2" in text
    assert "Total 4 2 1 2" in text


def test_dashboard_chart_has_bars_for_days_with_data_only(
    mod_client: Client, busy_month: None
) -> None:
    html = mod_client.get(DASHBOARD).content.decode()
    svg = re.search(r"<svg.*?</svg>", html, re.S)
    assert svg, "no chart"
    chart = svg.group(0)
    today = timezone.localdate()
    label = f"{today.day} {today:%B}"
    bars = re.findall(r'<rect class="bar"[^>]*><title>([^<]*)</title>', chart)
    assert sorted(bars) == sorted(
        [
            f"{label}: 3 posts",
            f"{label}: 2 held",
            f"{label}: 1 approved",
            f"{label}: 1 rejected",
            f"{(today - dt.timedelta(days=3)).day} {today - dt.timedelta(days=3):%B}: 1 posts",
            f"{(today - dt.timedelta(days=3)).day} {today - dt.timedelta(days=3):%B}: 1 rejected",
        ]
    )
    assert 'role="img"' in chart and "<title id=" in chart and "<desc id=" in chart
    # No inline style or script (the Content-Security-Policy refuses them); the page's only
    # scripts are the site's own files.
    assert "style" not in chart
    assert re.findall(r"<script(?![^>]*\bsrc=\"/static/)", html) == []


def test_dashboard_runs_the_same_few_queries_with_more_data(
    mod_client: Client, article: Article, reader: User
) -> None:
    def queries() -> int:
        fragments().clear()  # the session and account read anew each time
        with CaptureQueriesContext(connection) as captured:
            assert mod_client.get(DASHBOARD).status_code == 200
        return len(captured)

    post_comment(article=article, body="One.", author=reader)
    few = queries()
    for n in range(20):
        post_comment(article=article, body=f"Post {n}.", author=reader, now=days_ago(n))
    assert queries() == few
    assert few <= 16  # with the moderators' work: a fixed eight more


def test_days_follow_the_site_time_zone(settings, article: Article, reader: User) -> None:  # type: ignore[no-untyped-def]
    settings.TIME_ZONE = "Pacific/Auckland"
    # 23:30 UTC on 10 May is 11:30 on 11 May in Auckland.
    late = dt.datetime(2024, 5, 10, 23, 30, tzinfo=dt.UTC)
    post_comment(article=article, body="Late in London, morning in Auckland.", now=late)
    with timezone.override("Pacific/Auckland"):
        activity = selectors.daily_activity(days=3, today=dt.date(2024, 5, 11))
    assert [(d.day.isoformat(), d.posts) for d in activity.days] == [
        ("2024-05-09", 0),
        ("2024-05-10", 0),
        ("2024-05-11", 1),
    ]
