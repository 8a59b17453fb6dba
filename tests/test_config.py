"""Configuration from KNOWHOW_* variables: sensible defaults, loud failures."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from knowhow import config


def test_booleans_accept_common_spellings_and_refuse_others(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KNOWHOW_DEBUG", "yes")
    assert config.env_bool("KNOWHOW_DEBUG", False) is True
    monkeypatch.setenv("KNOWHOW_DEBUG", "0")
    assert config.env_bool("KNOWHOW_DEBUG", True) is False
    monkeypatch.setenv("KNOWHOW_DEBUG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_DEBUG"):
        config.env_bool("KNOWHOW_DEBUG", False)


def test_whole_numbers_refuse_words(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNOWHOW_PORT", "eighty")
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_PORT must be a whole number"):
        config.env_int("KNOWHOW_PORT", 8000)


def test_database_defaults_to_sqlite_under_var(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KNOWHOW_DATABASE_URL", raising=False)
    db = config.database_config("KNOWHOW_DATABASE_URL", tmp_path / "var" / "k.sqlite3")
    assert db["ENGINE"] == "knowhow.server.sqlite"  # Django's, with writers queued on a lock file
    assert db["NAME"] == str(tmp_path / "var" / "k.sqlite3")
    assert (tmp_path / "var").is_dir(), "SQLite cannot create its file without the folder"
    assert db["OPTIONS"]["transaction_mode"] == "IMMEDIATE"


def test_database_url_for_postgresql(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("KNOWHOW_DATABASE_URL", "postgres://kh:secret@db.internal:5433/site")
    db = config.database_config("KNOWHOW_DATABASE_URL", tmp_path / "unused")
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.internal", 5433, "site", "kh")


def test_unknown_database_scheme_is_refused(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("KNOWHOW_DATABASE_URL", "oracle2://x")
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_DATABASE_URL"):
        config.database_config("KNOWHOW_DATABASE_URL", tmp_path / "unused")


def test_replica_urls_become_read_databases(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNOWHOW_DATABASE_URL", "postgres://kh:secret@db1:5432/site")
    primary = config.database_config("KNOWHOW_DATABASE_URL", Path("unused"))
    urls = "postgres://kh:secret@db2:5432/site, postgres://kh:secret@db3:5432/site"
    monkeypatch.setenv("KNOWHOW_DATABASE_REPLICA_URLS", urls)
    replicas = config.database_replicas("KNOWHOW_DATABASE_REPLICA_URLS", primary)
    assert [(name, db["HOST"]) for name, db in replicas.items()] == [
        ("replica_1", "db2"),
        ("replica_2", "db3"),
    ]
    assert replicas["replica_1"]["TEST"] == {"MIRROR": "default"}


@pytest.mark.parametrize(
    ("primary_url", "replica_urls", "says"),
    [
        ("", "postgres://db2/site", "needs KNOWHOW_DATABASE_URL to be PostgreSQL"),
        ("postgres://db1/site", "mysql://kh:secret@db2/site", "replica 1 is a mysql:// URL"),
        ("postgres://db1/site", "postgres://db2/site,", "replica 2 is empty"),
        ("postgres://db1/site", "kh:secret@db2", "replica 1 is not a URL"),
    ],
)
def test_a_bad_replica_url_is_named_without_its_password(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, primary_url: str, replica_urls: str, says: str
) -> None:
    monkeypatch.setenv("KNOWHOW_DATABASE_URL", primary_url)
    primary = config.database_config("KNOWHOW_DATABASE_URL", tmp_path / "k.sqlite3")
    monkeypatch.setenv("KNOWHOW_DATABASE_REPLICA_URLS", replica_urls)
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_DATABASE_REPLICA_URLS") as refused:
        config.database_replicas("KNOWHOW_DATABASE_REPLICA_URLS", primary)
    assert says in str(refused.value) and "secret" not in str(refused.value)


def test_cache_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KNOWHOW_CACHE_URL", raising=False)
    assert "LocMemCache" in config.cache_config("KNOWHOW_CACHE_URL")["BACKEND"]
    monkeypatch.setenv("KNOWHOW_CACHE_URL", "redis://127.0.0.1:6379/2")
    cache = config.cache_config("KNOWHOW_CACHE_URL")
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    monkeypatch.setenv("KNOWHOW_CACHE_URL", "nonsense://x")
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_CACHE_URL"):
        config.cache_config("KNOWHOW_CACHE_URL")


def test_email_defaults_to_files_and_takes_smtp_urls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("KNOWHOW_EMAIL_URL", raising=False)
    mail = config.email_config("KNOWHOW_EMAIL_URL", tmp_path)
    assert mail["EMAIL_BACKEND"] == "knowhow.server.mailfiles.PrivateFileBackend"
    assert mail["EMAIL_FILE_PATH"] == str(tmp_path)
    monkeypatch.setenv("KNOWHOW_EMAIL_URL", "smtp+tls://user:pw@mail.example.org:587")
    mail = config.email_config("KNOWHOW_EMAIL_URL", tmp_path)
    assert mail["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (mail["EMAIL_HOST"], mail["EMAIL_PORT"], mail["EMAIL_USE_TLS"]) == (
        "mail.example.org",
        587,
        True,
    )


def test_email_from_djangos_own_variables(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KNOWHOW_EMAIL_URL", raising=False)
    monkeypatch.setenv("EMAIL_HOST", "smtp.example.org")
    monkeypatch.setenv("EMAIL_PORT", "465")
    monkeypatch.setenv("EMAIL_USE_SSL", "true")
    mail = config.email_config("KNOWHOW_EMAIL_URL", tmp_path)
    assert mail["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
    assert (mail["EMAIL_HOST"], mail["EMAIL_PORT"], mail["EMAIL_USE_SSL"]) == (
        "smtp.example.org",
        465,
        True,
    )


def test_secret_key_is_made_once_and_kept(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("KNOWHOW_SECRET_KEY", raising=False)
    first = config.secret_key("KNOWHOW_SECRET_KEY", tmp_path)
    assert len(first) > 40
    assert config.secret_key("KNOWHOW_SECRET_KEY", tmp_path) == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0
    monkeypatch.setenv("KNOWHOW_SECRET_KEY", "from-the-environment")
    assert config.secret_key("KNOWHOW_SECRET_KEY", tmp_path) == "from-the-environment"


def test_processes_starting_at_once_share_one_secret_key(tmp_path: Path) -> None:
    """Eight processes making the key at the same moment in an empty data folder: one key,
    kept private, and no half-written file left behind."""
    import subprocess
    import sys
    import time

    script = (
        "import sys, time; from pathlib import Path; from knowhow import config\n"
        "time.sleep(max(0.0, float(sys.argv[2]) - time.time()))\n"
        "print(config.secret_key('KNOWHOW_NO_SUCH_KEY', Path(sys.argv[1])))"
    )
    start = str(time.time() + 2)
    env = {k: v for k, v in os.environ.items() if k != "KNOWHOW_NO_SUCH_KEY"}
    makers = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(tmp_path), start],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(8)
    ]
    keys = {maker.communicate(timeout=60)[0].strip() for maker in makers}
    assert len(keys) == 1 and "" not in keys
    assert keys == {(tmp_path / "secret_key").read_text().strip()}
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_site_url_must_be_absolute(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNOWHOW_SITE_URL", "https://example.org/")
    assert config.env_url("KNOWHOW_SITE_URL") == "https://example.org"
    monkeypatch.setenv("KNOWHOW_SITE_URL", "example.org")
    with pytest.raises(ImproperlyConfigured, match="absolute http"):
        config.env_url("KNOWHOW_SITE_URL")


@pytest.mark.parametrize(("value", "secure"), [("true", "True True"), ("false", "False False")])
def test_cookies_are_secure_behind_an_https_proxy(tmp_path: Path, value: str, secure: str) -> None:
    import subprocess

    from tests.test_serve import KNOWHOW, _env

    env = {**_env(tmp_path / "var"), "KNOWHOW_BEHIND_HTTPS_PROXY": value}
    code = "from django.conf import settings as s\n"
    code += "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    shown = subprocess.run(
        [KNOWHOW, "shell", "-v0", "-c", code], env=env, capture_output=True, text=True, timeout=60
    )
    assert shown.stdout.strip() == secure, shown.stderr


def test_languages_are_codes_django_knows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KNOWHOW_LANGUAGE", raising=False)
    assert config.env_language("KNOWHOW_LANGUAGE", "en") == "en"
    monkeypatch.setenv("KNOWHOW_LANGUAGE", "pt_BR")
    assert config.env_language("KNOWHOW_LANGUAGE", "en") == "pt-br"
    monkeypatch.setenv("KNOWHOW_LANGUAGE", "klingon")
    with pytest.raises(
        ImproperlyConfigured,
        match="KNOWHOW_LANGUAGE must name languages by codes such as en, es, fr, pt-br or ar; "
        "got 'klingon'",
    ):
        config.env_language("KNOWHOW_LANGUAGE", "en")


def test_the_languages_readers_may_choose_include_the_sites(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("KNOWHOW_LANGUAGES", raising=False)
    assert config.env_languages("KNOWHOW_LANGUAGES", "es") == ["es"]
    monkeypatch.setenv("KNOWHOW_LANGUAGES", "en, ar,en")
    assert config.env_languages("KNOWHOW_LANGUAGES", "es") == ["es", "en", "ar"]
    monkeypatch.setenv("KNOWHOW_LANGUAGES", "en,xx")
    with pytest.raises(ImproperlyConfigured, match="KNOWHOW_LANGUAGES .* got 'xx'"):
        config.env_languages("KNOWHOW_LANGUAGES", "en")


def test_a_bad_language_stops_every_command_with_one_line(tmp_path: Path) -> None:
    import subprocess
    import sys

    env = {**os.environ, "KNOWHOW_LANGUAGE": "klingon", "KNOWHOW_VAR_DIR": str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "knowhow", "check"], env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1] == (
        "knowhow: KNOWHOW_LANGUAGE must name languages by codes such as en, es, fr, pt-br or "
        "ar; got 'klingon'"
    )
