"""Two sites sharing one Redis keep their keys apart: each begins with the site's prefix."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("KNOWHOW_TEST_SHARED_REDIS", "redis://127.0.0.1:6379/9")


def _shell(tmp_path: Path, code: str, **env: str) -> str:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("KNOWHOW_")}
    clean.pop("DJANGO_SETTINGS_MODULE", None)
    result = subprocess.run(
        [sys.executable, "-m", "knowhow", "shell", "-v0", "-c", code],
        env={**clean, "KNOWHOW_VAR_DIR": str(tmp_path / "var"), "KNOWHOW_CACHE_URL": REDIS_URL}
        | env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def shared_redis() -> None:
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis at {REDIS_URL}")


def test_two_sites_do_not_read_each_others_counts(tmp_path: Path, shared_redis: None) -> None:
    write = "from django.core.cache import cache; cache.set('ratelimit:x', 7, 60); print('ok')"
    read = "from django.core.cache import cache; print(cache.get('ratelimit:x'))"
    assert _shell(tmp_path / "a", write, KNOWHOW_SECRET_KEY="a" * 50) == "ok"
    assert _shell(tmp_path / "b", read, KNOWHOW_SECRET_KEY="b" * 50) == "None"
    assert _shell(tmp_path / "a", read, KNOWHOW_SECRET_KEY="a" * 50) == "7"


def test_a_prefix_set_by_hand_is_used_for_counts_and_page_versions(
    tmp_path: Path, shared_redis: None
) -> None:
    prefix = f"site-{uuid.uuid4().hex[:8]}"
    code = (
        "from django.core.cache import cache; from knowhow.pagecache.api import changed;"
        "import redis; cache.set('ratelimit:y', 1, 60); changed('article-1');"
        f"r = redis.Redis.from_url({REDIS_URL!r});"
        f"keys = sorted(k.decode() for k in r.scan_iter('*{prefix}*')); print(keys);"
        "r.delete(*keys) if keys else None"
    )
    keys = _shell(tmp_path, code, KNOWHOW_CACHE_PREFIX=prefix)
    assert f"{prefix}:1:ratelimit:y" in keys
    assert f"knowhow:pages:{prefix}:stamps" in keys
