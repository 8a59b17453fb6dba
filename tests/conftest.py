"""Shared fixtures: the people of the site (made in tests/people.py), and articles to talk
about."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.utils import timezone

from knowhow.articles.models import Article, Person, Topic
from knowhow.discussion.forms import issue_token
from knowhow.pagecache.fragments import fragments
from tests import people
from tests.smtp_server import MailServer, free_port

SEED_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seed"


def pytest_configure(config: pytest.Config) -> None:
    """On PostgreSQL, a test that commits (transactional_db, live_server) is followed by
    `flush`, whose TRUNCATE of every table costs seconds on a busy machine; deleting the
    rows of the test's few tables in one transaction costs milliseconds and leaves the same
    empty tables. Only the test runner's flush changes: the site's own emptying of tables
    (restoring a backup) keeps TRUNCATE."""
    from django.core.management.commands import flush

    truncate = flush.sql_flush

    def delete_rows(style: Any, connection: Any, reset_sequences: bool = True, **kw: Any) -> Any:
        if connection.vendor != "postgresql" or reset_sequences:
            return truncate(style, connection, reset_sequences=reset_sequences, **kw)
        tables = connection.introspection.django_table_names(
            only_existing=True, include_views=False
        )
        # Foreign keys are checked at commit (Django makes them deferrable), by which time
        # every referencing row is gone too.
        quoted = [connection.ops.quote_name(table) for table in sorted(tables)]
        return ["SET CONSTRAINTS ALL DEFERRED"] + [f"DELETE FROM {name}" for name in quoted]  # noqa: S608 - the models' own tables

    flush.sql_flush = delete_rows  # type: ignore[assignment]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test marked `same_in_both_passes` would run in the PostgreSQL + Redis pass exactly as
    in the SQLite pass, the servers and commands it starts never seeing either: it runs there
    once. A browser test runs once too, unless marked `both_databases`: the walks where a
    reader's or a moderator's words meet the database's own transactions and locks."""
    if not os.environ.get("KNOWHOW_DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    once = pytest.mark.skip(reason="the same in both passes: it runs in the SQLite pass")
    clicked_once = pytest.mark.skip(
        reason="what a person clicks is the same on both databases: Chromium drives it in "
        "the SQLite pass, and the views under it run in-process in this pass too"
    )
    for item in items:
        if item.get_closest_marker("same_in_both_passes"):
            item.add_marker(once)
        elif item.get_closest_marker("browser") and not item.get_closest_marker("both_databases"):
            item.add_marker(clicked_once)


@pytest.fixture(autouse=True)
def _fast_and_plain(settings: Any, tmp_path: Path) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests post far faster than people do; the rate-limit tests set their own limits.
    settings.POST_RATE_ANONYMOUS = [(10_000, 60)]
    settings.POST_RATE_ACCOUNT = [(10_000, 60)]
    cache.clear()
    fragments().clear()
    settings.MEDIA_ROOT = tmp_path / "media"  # uploads of one test never meet another's
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def run_worker(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Run `knowhow db_worker --batch`: every queued task, then return."""
    # Between tasks the worker drops stale connections; in a test, which runs inside one
    # transaction, that would close the test's own connection.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )

    def run() -> None:
        # The worker installs its own signal handlers; the test run keeps pytest's.
        saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    return run


@pytest.fixture
def seed_dir() -> Path:
    """The seed page's data; absent in a clone without ../shared, where such tests skip."""
    if not SEED_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"CI must have the seed data at {SEED_DIR}")
        pytest.skip(f"seed data not found at {SEED_DIR} (only CI and staff checkouts have it)")
    return SEED_DIR


@pytest.fixture
def reader(db: None) -> User:
    return people.make_reader()


@pytest.fixture
def outsider(db: None) -> User:
    return people.make_outsider()


@pytest.fixture
def moderator(db: None) -> User:
    return people.make_moderator()


@pytest.fixture
def writer(db: None) -> Person:
    return people.make_writer()


@pytest.fixture
def editor(db: None) -> Person:
    return people.make_editor()


@pytest.fixture
def writer_account(writer: Person) -> User:
    """The writer's staff account, in the writer role, writing as Wendy Writer."""
    return people.make_staff_writer()


@pytest.fixture
def editor_account(editor: Person) -> User:
    """The editor's staff account, in the editor role, editing as Ed Editor."""
    return people.make_staff_editor()


@pytest.fixture
def topic(db: None) -> Topic:
    return Topic.objects.create(name="Health", slug="health")


@pytest.fixture
def make_article(writer: Person, editor: Person, topic: Topic) -> Callable[..., Article]:
    def make(title: str = "What is a Muscle Cramp?", **fields: Any) -> Article:
        defaults: dict[str, Any] = {
            "topic": topic,
            "written_by": writer,
            "edited_by": editor,
            "copyright_holder": "Knowhow Test Press",
            "body": "A cramp is a sudden, painful tightening of a muscle.\n\nStretching helps.",
            "status": Article.Status.PUBLISHED,
            "published_at": timezone.now() - dt.timedelta(days=1),
            "last_modified": dt.date(2024, 5, 17),
        }
        defaults.update(fields)
        return Article.objects.create(title=title, **defaults)

    return make


@pytest.fixture
def article(make_article: Callable[..., Article]) -> Article:
    return make_article()


def form_data(article: Article, body: str, age: float = 30, **extra: Any) -> dict[str, Any]:
    """What the article page's form sends, as if shown `age` seconds ago."""
    return {"body": body, "issued": issue_token(article.pk, time.time() - age), **extra}


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    """timezone.now, moved forward by hand with clock.advance(seconds)."""

    class Clock:
        offset = dt.timedelta()

        def advance(self, seconds: float) -> None:
            self.offset += dt.timedelta(seconds=seconds)

    clock = Clock()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() + clock.offset)
    return clock


@pytest.fixture
def mail_server(settings: Any) -> Iterator[MailServer]:
    """The site's mail server (SMTP on 127.0.0.1), down until the test starts it."""
    server = MailServer(free_port())
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture
def several_languages(settings: Any) -> None:
    """A site whose readers switch between English, Spanish and Arabic."""
    settings.LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربيّة")]
    if "django.middleware.locale.LocaleMiddleware" not in settings.MIDDLEWARE:
        middleware = list(settings.MIDDLEWARE)
        middleware.insert(
            middleware.index("django.middleware.common.CommonMiddleware"),
            "django.middleware.locale.LocaleMiddleware",
        )
        settings.MIDDLEWARE = middleware
