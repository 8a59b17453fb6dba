"""Options other sites send are checked: clear refusals, bounded numbers, nothing echoed raw."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from knowhow.articles.models import Article
from tests.pages import visible_text

pytestmark = pytest.mark.django_db

HOSTILE = '"><script>alert(1)</script>'


def test_an_unknown_topic_is_a_404_that_says_so(client: Client) -> None:
    answer = client.get("/widgets/topic/?topic=no-such-topic")
    assert answer.status_code == 404
    assert "There is no topic “no-such-topic” here." in visible_text(answer.content)
    data = client.get("/widgets/topic/data/?topic=no-such-topic")
    assert data.status_code == 404
    assert json.loads(data.content)["error"] == "There is no topic “no-such-topic” here."
    assert data["Access-Control-Allow-Origin"] == "*"  # so the script can show the message


def test_an_unknown_widget_is_a_404(client: Client) -> None:
    assert client.get("/widgets/nonsense/").status_code == 404
    assert client.get("/widgets/nonsense/data/").status_code == 404


def test_count_is_kept_between_one_and_ten(
    client: Client, make_article: Callable[..., Article]
) -> None:
    now = timezone.now()
    for day in range(1, 13):
        make_article(f"Article {day}", published_at=now - dt.timedelta(days=day))
    for asked, shown in (("0", 1), ("-5", 1), ("11", 10), ("99999999999", 10), ("3", 3)):
        data = json.loads(client.get(f"/widgets/latest/data/?count={asked}").content)
        assert len(data["items"]) == shown, asked
    data = json.loads(client.get("/widgets/latest/data/?count=lots").content)
    assert len(data["items"]) == 5


def test_theme_is_light_or_dark_and_width_is_bounded(client: Client) -> None:
    data = json.loads(client.get("/widgets/fact/data/?theme=neon&width=5").content)
    assert (data["theme"], data["width"]) == ("light", 200)
    data = json.loads(client.get("/widgets/fact/data/?theme=dark&width=90000").content)
    assert (data["theme"], data["width"]) == ("dark", 800)
    html = client.get("/widgets/fact/?theme=red%22%3E").content.decode()
    assert 'class="kw theme-light"' in html


def test_hostile_options_are_never_reflected_unescaped(client: Client, article: Article) -> None:
    for url in (
        f"/widgets/topic/?topic={HOSTILE}",
        f"/widgets/article/?article={HOSTILE}",
        f"/widgets/fact/?theme={HOSTILE}&width={HOSTILE}",
        f"/widgets/?widget=topic&topic={HOSTILE}",
        f"/widgets/?article={HOSTILE}",
        f"/widgets/?widget=latest&theme={HOSTILE}&count={HOSTILE}&width={HOSTILE}",
    ):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, url
    answer = client.get(f"/widgets/topic/data/?topic={HOSTILE}")
    assert answer["Content-Type"] == "application/json"
