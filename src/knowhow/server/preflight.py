"""What `knowhow serve` checks and says before it serves: the database answers and holds
every migration, the server's connections fit in the database's limit, and one line for
each thing it runs with (never a password)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor

from knowhow.links import site_url
from knowhow.server.error_reports import mask_credentials

# Connections left free beside the server's own: for `knowhow migrate`, a shell, a backup.
SPARE_CONNECTIONS = 5

_DATABASES = {"postgresql": "PostgreSQL", "sqlite": "SQLite", "mysql": "MySQL"}


def database_ready() -> None:
    """Refuse, in one line, a database that does not answer or lacks migrations."""
    try:
        connection.ensure_connection()
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except DatabaseError as error:
        words = str(error).strip().splitlines()
        reason = words[0] if words else type(error).__name__
        raise CommandError(f"cannot reach the database ({describe_database()}): {reason}") from None
    if pending:
        raise CommandError(
            f"the database lacks {len(pending)} migration(s) this version needs: "
            "run `knowhow migrate` first"
        )


@dataclass(frozen=True)
class Budget:
    """How many connections the server may open, and why."""

    allowed: int
    limit: int
    reserved: int


def connection_budget() -> Budget | None:
    """PostgreSQL's max_connections less its reserved and spare ones; None elsewhere."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_connections")
        limit = int(cursor.fetchone()[0])
        cursor.execute("SHOW superuser_reserved_connections")
        reserved = int(cursor.fetchone()[0])
    return Budget(allowed=limit - reserved - SPARE_CONNECTIONS, limit=limit, reserved=reserved)


def fit_connections(
    workers: int, threads: int, *, task_worker: bool, chosen: bool, budget: Budget | None
) -> tuple[int, int, str]:
    """Workers and threads within the budget: each thread of each server process holds a
    database connection, the task worker one more. Counts the operator chose are refused
    when they do not fit; defaults are lowered, and the returned note says so."""
    extra = 1 if task_worker else 0
    need = workers * threads + extra
    if budget is None or need <= budget.allowed:
        return workers, threads, ""
    why = (
        f"PostgreSQL allows {budget.limit} connections (max_connections), "
        f"{budget.reserved} reserved and {SPARE_CONNECTIONS} kept for commands"
    )
    if chosen or budget.allowed < 1 + extra:
        raise CommandError(
            f"{workers} workers × {threads} threads{' + the task worker' if extra else ''} "
            f"need {need} database connections, but {why}: lower KNOWHOW_WORKERS or "
            "KNOWHOW_THREADS (--workers, --threads), or raise max_connections"
        )
    room = budget.allowed - extra
    workers = min(workers, room)
    threads = max(1, min(threads, room // workers))
    return workers, threads, f"lowered to {workers} workers × {threads} threads: {why}"


def describe_database() -> str:
    db = settings.DATABASES["default"]
    kind = _DATABASES.get(connection.vendor, connection.vendor)
    if connection.vendor == "sqlite":
        return f"{kind} {db['NAME']}"
    where = f"{db.get('HOST') or 'localhost'}" + (f":{db['PORT']}" if db.get("PORT") else "")
    user = f" as {db['USER']}" if db.get("USER") else ""
    return f"{kind} {db['NAME']} on {where}{user}"


def describe_cache() -> str:
    cache = settings.CACHES["default"]
    backend = str(cache.get("BACKEND", ""))
    location = cache.get("LOCATION", "")
    if isinstance(location, list | tuple):
        location = ",".join(str(item) for item in location)
    if backend.endswith("LocMemCache"):
        return "local memory (each server process its own)"
    kind = next(
        (name for key, name in _CACHES.items() if key in backend.lower()), backend.rsplit(".")[-1]
    )
    return f"{kind} {mask_credentials(str(location))}".strip()


_CACHES = {"redis": "Redis", "memcache": "memcached", "db": "database", "file": "files"}


def describe_mail() -> str:
    backend = settings.EMAIL_BACKEND
    if backend.endswith(("filebased.EmailBackend", "PrivateFileBackend")):
        return f"written as files under {getattr(settings, 'EMAIL_FILE_PATH', '')}"
    if backend.endswith("smtp.EmailBackend"):
        security = (
            " (SSL)" if settings.EMAIL_USE_SSL else " (STARTTLS)" if settings.EMAIL_USE_TLS else ""
        )
        return f"sent by SMTP to {settings.EMAIL_HOST}:{settings.EMAIL_PORT}{security}"
    if backend.endswith("console.EmailBackend"):
        return "printed to the console, not sent"
    if backend.endswith(("locmem.EmailBackend", "dummy.EmailBackend")):
        return "kept in memory, not sent"
    return f"sent through {backend}"


def summary(*, workers: int, threads: int, task_worker: bool) -> list[str]:
    """What the server runs with, a line each, for the operator reading its output."""
    url = settings.SITE_URL or f"not set (emailed links use {site_url()})"
    worker = (
        "supervised task worker"
        if task_worker
        else "no task worker (--no-worker or KNOWHOW_TASK_WORKER=false)"
    )
    lines = [
        f"database: {describe_database()}",
        f"cache: {describe_cache()}",
        f"server: {workers} processes × {threads} threads, {worker}",
        f"site URL: {url}",
        f"data folder: {Path(settings.VAR_DIR)}",
        f"mail: {describe_mail()}",
    ]
    lines.append(f"reader addresses: {describe_addresses()}")
    if settings.DEBUG:
        lines.append(DEBUG_WARNING)
    return lines


def describe_addresses() -> str:
    """Where readers' addresses (rate limits, bans) come from, and a warning when a proxy
    has been seen or is declared but no count of proxies is set."""
    from knowhow.antiabuse import proxies

    count = settings.TRUSTED_PROXY_COUNT
    if settings.TRUSTED_PROXY_COUNT_SET:
        proxies.forget()
        if count == 0:
            return "the connecting address (KNOWHOW_TRUSTED_PROXY_COUNT=0: no proxy trusted)"
        return f"from X-Forwarded-For, {count} prox{'y' if count == 1 else 'ies'} trusted"
    seen = proxies.seen_unset()
    if seen is None and not settings.BEHIND_HTTPS_PROXY:
        return "the connecting address (no proxy: KNOWHOW_TRUSTED_PROXY_COUNT is not set)"
    why = f"requests came through a proxy at {seen}" if seen else "KNOWHOW_BEHIND_HTTPS_PROXY"
    return (
        f"WARNING: the proxy's for every reader ({why}) because KNOWHOW_TRUSTED_PROXY_COUNT "
        "is not set: readers share one rate limit and one ban; set it (1 behind deploy/nginx)"
    )


DEBUG_WARNING = (
    "WARNING: DEBUG IS ON (KNOWHOW_DEBUG). Error pages show code, settings and requests to "
    "every visitor. Never leave it on for a site others can reach."
)
