"""A counter column is added to and read back in one statement, or two where the database
cannot return rows from an UPDATE, with the same answers either way."""

from __future__ import annotations

import datetime as dt

import pytest

from knowhow import counters
from knowhow.antiabuse.models import RateCount
from knowhow.articles.models import Article
from knowhow.counters import add_and_read
from knowhow.discussion.services import post_comment


@pytest.fixture(params=["returning", "update then select"])
def way(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    if request.param != "returning":
        monkeypatch.setattr(counters, "returns_rows", lambda connection: False)
    return str(request.param)


def test_each_post_takes_the_next_number_either_way(article: Article, way: str) -> None:
    numbers = [post_comment(article=article, body=f"Post {n}.").number for n in range(3)]
    assert numbers == [1, 2, 3]
    article.refresh_from_db()
    assert article.last_post_number == 3


def test_a_count_is_added_and_read_back_and_a_missing_row_says_so(db: None, way: str) -> None:
    RateCount.objects.create(bucket="b", count=4, expires_at=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert add_and_read(RateCount, key_field="bucket", key="b", column="count") == 5
    assert add_and_read(RateCount, key_field="bucket", key="b", column="count", amount=2) == 7
    assert add_and_read(RateCount, key_field="bucket", key="nothing", column="count") is None
    assert RateCount.objects.get(bucket="b").count == 7
