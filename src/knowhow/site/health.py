"""/healthz: whether this process can reach its database and its cache, for a load balancer
or a monitor. Cheap (one trivial query, one cache key), never cached, and it names only
what failed, never how it is configured."""

from __future__ import annotations

import logging
import os
import secrets
import threading

from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception as error:  # any failure means "not usable now"; the reason goes to the log
        logger.warning("health: database check failed: %s", type(error).__name__)
        return False


def cache_ok() -> bool:
    # A key per process and thread, written over by each check: probes at once never read
    # each other's value, and they leave a bounded number of keys behind.
    key = f"knowhow:healthz:{os.getpid()}:{threading.get_ident()}"
    value = secrets.token_hex(6)
    try:
        cache.set(key, value, timeout=60)
        found = cache.get(key)
    except Exception as error:
        logger.warning("health: cache check failed: %s", type(error).__name__)
        return False
    return bool(found == value)


@never_cache
@require_safe
def healthz(request: HttpRequest) -> JsonResponse:
    checks = {
        "database": "ok" if database_ok() else "failed",
        "cache": "ok" if cache_ok() else "failed",
    }
    healthy = all(state == "ok" for state in checks.values())
    answer = {"status": "ok" if healthy else "failing", **checks}
    return JsonResponse(answer, status=200 if healthy else 503)
