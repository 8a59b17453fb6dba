"""With Redis stopped, posting keeps working (rate limits count in the database meanwhile),
no page is left stale, and once Redis is back the site uses it again by itself."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from knowhow import config
from knowhow.articles.models import Article
from knowhow.config import CACHE_TIMEOUT_SECONDS
from knowhow.pagecache import api
from knowhow.pagecache.mirror import MirroredVersions
from tests import people
from tests.conftest import form_data
from tests.database_away import options
from tests.pagecache.conftest import Clock, Server
from tests.throwaway_redis import ThrowawayRedis

# Bounds on wall-clock time: CI runs these with nothing else beside them (see .ci/run).
pytestmark = pytest.mark.timing

__all__ = ["options"]  # run plain and with every optional setting on


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[ThrowawayRedis]:
    """The site's cache and page versions in a Redis of this test's own."""
    server = ThrowawayRedis()
    server.start()
    timeouts = {"socket_timeout": CACHE_TIMEOUT_SECONDS, "socket_connect_timeout": 1}
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "site",
            "OPTIONS": timeouts,
        }
    }
    api.versions.cache_clear()
    yield server
    # The served copy stops following this Redis before it goes: no thread outlives the
    # test, retrying a server that is gone and writing to a closed log.
    store = api.versions()
    if isinstance(store, MirroredVersions):
        store.leave()
    server.stop()
    api.versions.cache_clear()


def _post(client: Client, article: Article, body: str) -> Any:
    client.raise_request_exception = False
    return client.post(f"{article.get_absolute_url()}posts/", form_data(article, body))


def test_a_post_made_while_redis_is_down_is_stored_and_shown_fresh(
    redis_cache: ThrowawayRedis, article: Article, reader: User, transactional_db: None
) -> None:
    browser = Client()
    browser.force_login(reader)
    other_process = Server(Clock())
    other_process.request(article.get_absolute_url())
    assert other_process.request(article.get_absolute_url()).cache == "HIT"

    redis_cache.stop()
    answer = _post(browser, article, "Posted while the cache was away.")
    assert answer.status_code == 302, answer.content.decode()[:500]
    page = other_process.request(article.get_absolute_url())
    assert "Posted while the cache was away." in page.text

    redis_cache.start()  # back, and empty
    answer = _post(browser, article, "Posted once it was back.")
    assert answer.status_code == 302
    assert any(":ratelimit:" in key for key in redis_cache.stored_keys())  # counting there again
    page = other_process.request(article.get_absolute_url())
    assert "Posted while the cache was away." in page.text
    assert "Posted once it was back." in page.text


def test_rate_limits_still_hold_while_redis_is_down(
    redis_cache: ThrowawayRedis, article: Article, reader: User, settings: Any
) -> None:
    settings.POST_RATE_ACCOUNT = [(2, 600)]
    browser = Client()
    browser.force_login(reader)
    redis_cache.stop()
    assert _post(browser, article, "First of three.").status_code == 302
    assert _post(browser, article, "Second of three.").status_code == 302
    refused = _post(browser, article, "Third of three, one too many.")
    assert refused.status_code == 429
    assert "Third of three, one too many." in refused.content.decode()  # the text is kept


def test_signing_in_works_while_redis_is_down(redis_cache: ThrowawayRedis, reader: User) -> None:
    redis_cache.stop()
    browser = Client(raise_request_exception=False)
    answer = browser.post(
        "/accounts/login/", {"username": reader.username, "password": people.PASSWORD}
    )
    assert answer.status_code == 302


def test_a_redis_that_never_answers_costs_a_post_seconds_not_forever(
    article: Article, reader: User, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as silent:  # takes connections, never says a word
        silent.bind(("127.0.0.1", 0))
        silent.listen(16)
        port = silent.getsockname()[1]
        monkeypatch.setenv("KNOWHOW_CACHE_URL", f"redis://127.0.0.1:{port}/0")
        settings.CACHES = {"default": config.cache_config("KNOWHOW_CACHE_URL")}
        browser = Client()
        browser.force_login(reader)
        started = time.monotonic()
        answer = _post(browser, article, "Posted past a stalled cache.")
        assert answer.status_code == 302
        assert time.monotonic() - started < 4 * CACHE_TIMEOUT_SECONDS
