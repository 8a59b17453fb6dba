"""Typed readers for the KNOWHOW_* environment variables; each fails loudly on a bad value."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from email.utils import getaddresses
from pathlib import Path
from typing import Any

import environ
from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_is_set(name: str) -> bool:
    """Whether the operator gave the variable a value (an empty one counts as unset)."""
    return bool(os.environ.get(name, "").strip())


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}"
    )


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of a few words (case ignored), or a configuration error listing them."""
    value = os.environ.get(name, default).strip().lower() or default
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number; got {raw!r}") from None


def env_seconds(name: str, default: float, high: float) -> float:
    """Seconds from 0 to high (fractions allowed), or a configuration error naming the variable."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number of seconds; got {raw!r}") from None
    if not 0 <= value <= high:
        raise ImproperlyConfigured(f"{name} must be between 0 and {high:g}; got {raw!r}")
    return value


def env_bounded_int(name: str, default: int, low: int, high: int) -> int:
    """A whole number between low and high, or a configuration error naming the variable."""
    value = env_int(name, default)
    if not low <= value <= high:
        raise ImproperlyConfigured(f"{name} must be between {low} and {high}; got {value}")
    return value


@dataclass(frozen=True)
class ServeOptions:
    """What `knowhow serve` runs with, from KNOWHOW_HOST, _PORT, _WORKERS, _THREADS and
    _TASK_WORKER."""

    host: str
    port: int
    workers: int
    threads: int
    # Whether workers and threads were chosen by the operator (a variable or an option),
    # not taken from the defaults: chosen counts are refused rather than quietly lowered.
    chosen: bool = False
    # Whether it runs the task worker beside the site; off on app servers of a fleet whose
    # background work is done by worker machines (`knowhow db_worker`).
    task_worker: bool = True


PORTS = (1, 65535)
THREADS = (1, 64)


def worker_bounds() -> tuple[int, int]:
    """Server processes: at least one, at most four per CPU (more only shares the CPUs
    out thinner, and each holds its own database connections and memory)."""
    return 1, max(4 * (os.cpu_count() or 1), 4)


def serve_options() -> ServeOptions:
    cpus = os.cpu_count() or 1
    return ServeOptions(
        host=env_str("KNOWHOW_HOST", "127.0.0.1").strip() or "127.0.0.1",
        port=env_bounded_int("KNOWHOW_PORT", 8000, *PORTS),
        workers=env_bounded_int("KNOWHOW_WORKERS", cpus, *worker_bounds()),
        threads=env_bounded_int("KNOWHOW_THREADS", 4, *THREADS),
        chosen=any(
            os.environ.get(name, "").strip() for name in ("KNOWHOW_WORKERS", "KNOWHOW_THREADS")
        ),
        task_worker=env_bool("KNOWHOW_TASK_WORKER", True),
    )


def is_email_address(address: str) -> bool:
    """Whether the text is one plain address with a user and a dotted domain."""
    local, at, domain = address.partition("@")
    return bool(
        local
        and at
        and "." in domain.strip(".")
        and not any(c.isspace() or c in '<>,;@"' for c in local + domain)
    )


def env_admins(name: str) -> list[tuple[str, str]]:
    """ "Name <address>, address, ..." as Django's ADMINS: (name, address) pairs."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return []
    admins = []
    for part in (item.strip() for item in raw.split(",")):
        parsed = getaddresses([part]) if part else []
        display, address = parsed[0] if len(parsed) == 1 else ("", "")
        if not is_email_address(address):
            raise ImproperlyConfigured(
                f"{name} must be addresses such as 'Ann Lee <ann@example.org>, bo@example.org'"
                f"; {part!r} is not one"
            )
        admins.append((display or address, address))
    return admins


def env_address(name: str, default: str) -> str:
    """One sender address, bare or with a name ("Knowhow <knowhow@example.org>")."""
    raw = os.environ.get(name, "").strip() or default
    parsed = getaddresses([raw])
    # A bare local name such as knowhow@localhost is fine for a site that sends no mail out.
    if len(parsed) != 1 or not (
        is_email_address(parsed[0][1]) or parsed[0][1].endswith("@localhost")
    ):
        raise ImproperlyConfigured(
            f"{name} must be one address such as 'Knowhow <knowhow@example.org>'; got {raw!r}"
        )
    return raw


def env_time_zone(name: str, default: str) -> str:
    """An IANA time zone name such as Europe/Paris."""
    import zoneinfo

    value = os.environ.get(name, "").strip() or default
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ImproperlyConfigured(
            f"{name} must be a time zone name such as Europe/Paris or UTC; got {value!r}"
        ) from None
    return value


def _language(name: str, raw: str) -> str:
    from django.conf.locale import LANG_INFO

    code = raw.strip().lower().replace("_", "-")
    if code not in LANG_INFO or "name" not in LANG_INFO[code]:
        raise ImproperlyConfigured(
            f"{name} must name languages by codes such as en, es, fr, pt-br or ar; "
            f"got {raw.strip()!r}"
        )
    return code


def env_language(name: str, default: str) -> str:
    """One language code Django knows (en, es, pt-br...), or a configuration error."""
    return _language(name, os.environ.get(name, "").strip() or default)


def env_languages(name: str, site_language: str) -> list[str]:
    """The languages readers may switch between: a comma list of known codes, the site's
    own always first among them; unset, the site's language alone."""
    raw = os.environ.get(name, "").strip()
    codes = [_language(name, part) for part in raw.split(",") if part.strip()] if raw else []
    return list(dict.fromkeys([site_language, *codes]))


LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def env_log_level(name: str, default: str) -> str:
    value = os.environ.get(name, "").strip().upper() or default
    if value not in LOG_LEVELS:
        raise ImproperlyConfigured(
            f"{name} must be one of {', '.join(LOG_LEVELS)}; got {os.environ.get(name)!r}"
        )
    return value


# Folders that hold the system or everyone's files: the data folder (the secret key, mail
# with reset links, SQLite) never goes straight into one of them.
SYSTEM_FOLDERS = frozenset(
    Path(p)
    for p in (
        "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/media", "/mnt",
        "/opt", "/proc", "/root", "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr",  # noqa: S108
        "/usr/local", "/usr/share", "/var", "/var/lib", "/var/local", "/var/log", "/var/mail",
        "/var/spool", "/var/tmp", "/var/www",  # noqa: S108
    )
)  # fmt: skip


def var_dir(name: str, package_dir: Path) -> Path:
    """The data folder: KNOWHOW_VAR_DIR, else var/ of the source checkout the code runs
    from, else var/ of the current folder when that is a folder of the operator's own.

    Never a system folder (started from / as a service, ./var would be /var): such a
    place, or no place to put it, is a configuration error naming KNOWHOW_VAR_DIR.
    """
    raw = os.environ.get(name, "").strip()
    if raw:
        chosen = Path(raw).expanduser().resolve()
        if _is_system_folder(chosen):
            which = "home folder" if chosen not in SYSTEM_FOLDERS else "system folder"
            raise ImproperlyConfigured(
                f"{name} must be a folder of the site's own, not the {which} {chosen}; "
                f"e.g. {chosen / 'knowhow'}"
            )
        return chosen
    checkout = package_dir.parent.parent
    if package_dir.parent.name == "src" and (checkout / "pyproject.toml").is_file():
        return checkout / "var"
    here = Path.cwd().resolve()
    if _is_system_folder(here / "var") or _is_system_folder(here) or not os.access(here, os.W_OK):
        raise ImproperlyConfigured(
            f"{name} is not set and the current folder {here} is no place for the site's data "
            f"(its key, mail and database): set {name} to a folder of the site's own, "
            "e.g. /srv/knowhow/var"
        )
    return here / "var"


# Accounts useradd --system makes have ids below this (UID_MIN on Debian, Ubuntu, Fedora).
FIRST_PERSON_UID = 1000


def _is_system_folder(path: Path) -> bool:
    return path in SYSTEM_FOLDERS or _is_a_persons_home(path)


def _is_a_persons_home(path: Path) -> bool:
    """Whether the path is the home of the person running the command. A person's home holds
    their own files (keys, dotfiles) that the site's data must not mix with; a service
    account's home (the install docs' and the Containerfile's `useradd --system`) is made for it."""
    try:
        home = Path.home().resolve()
    except RuntimeError:  # no HOME and no account entry: a service's bare environment
        return False
    return path == home and not 0 < os.getuid() < FIRST_PERSON_UID


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rates(text: str) -> list[tuple[int, int]]:
    """'5/10m,30/1d' as [(5, 600), (30, 86400)]: at most N events in each window of seconds."""
    rates = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        count, _, window = part.partition("/")
        unit = window[-1:] if window[-1:] in _PERIODS else "s"
        amount = window[:-1] if window[-1:] in _PERIODS else window
        if not (count.isascii() and count.isdigit() and amount.isascii() and amount.isdigit()):
            raise ValueError(f"{part!r} is not COUNT/WINDOW such as 5/10m")
        if int(amount) == 0:
            raise ValueError(f"{part!r} is not COUNT/WINDOW such as 5/10m")
        rates.append((int(count), int(amount) * _PERIODS[unit]))
    return rates


def env_rates(name: str, default: str) -> list[tuple[int, int]]:
    raw = os.environ.get(name, default)
    try:
        return parse_rates(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: {exc}") from None


def env_url(name: str) -> str:
    """An optional absolute http(s) URL without a trailing slash, or ''."""
    raw = os.environ.get(name, "").strip().rstrip("/")
    if raw and not (
        raw.startswith(("http://", "https://")) and "://" in raw and raw.split("://")[1]
    ):
        raise ImproperlyConfigured(f"{name} must be an absolute http(s) URL; got {raw!r}")
    return raw


EDGE_SCHEMES = ("varnish://", "http://", "https://")


def env_edge_purgers(name: str) -> list[str]:
    """Comma-separated purge URLs of edge caches: varnish://host:port for Varnish with xkey,
    http(s)://... for a CDN that purges by the Surrogate-Key header of a POST."""
    urls = env_list(name, [])
    for url in urls:
        if not url.startswith(EDGE_SCHEMES) or not url.split("://", 1)[1].strip("/"):
            raise ImproperlyConfigured(
                f"{name}: {url!r} is not varnish://host:port or an http(s):// purge URL"
            )
    return urls


def database_config(name: str, default_sqlite: Path, url: str | None = None) -> dict[str, Any]:
    """DATABASES['default'] from a URL (postgres://, sqlite:///), or SQLite under var/; the
    URL is the variable's unless given (a replica's, one of several in one variable)."""
    url = os.environ.get(name, "").strip() if url is None else url
    if not url:
        # SQLite creates the file but not its folder; both are made private here, whatever
        # the umask (SQLite gives its -wal and -shm files the database file's mode).
        private_folder(default_sqlite.parent)
        private_file(default_sqlite)
        config: dict[str, Any] = {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(default_sqlite),
        }
    else:
        try:
            config = environ.Env.db_url_config(url)
        except Exception as exc:  # the parser raises several types; all mean a bad URL
            raise ImproperlyConfigured(f"{name} is not a database URL: {exc}") from None
        scheme = url.split("://", 1)[0]
        if scheme not in environ.Env.DB_SCHEMES:
            known = ", ".join(sorted(environ.Env.DB_SCHEMES))
            raise ImproperlyConfigured(
                f"{name} has an unknown scheme {scheme!r}; use one of {known}"
            )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Django's backend, with writers queued on a lock file (knowhow/server/sqlite/base.py).
        config["ENGINE"] = "knowhow.server.sqlite"
        # IMMEDIATE transactions make concurrent writers queue instead of failing with
        # "database is locked"; WAL lets readers run while one writer writes.
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
        # Opening SQLite and setting its pragmas costs more than many queries: keep it open.
        config["CONN_MAX_AGE"] = 600
        # Tests use a file, not shared memory, so threads get real SQLite locking; one file
        # per test process, so two runs at once do not share a database.
        test_name = Path(config["NAME"]).with_suffix(f".test-{os.getpid()}.sqlite3")
        config["TEST"] = {"NAME": str(test_name)}
    else:
        config.setdefault("CONN_MAX_AGE", 60)
        config["CONN_HEALTH_CHECKS"] = True
        if config["ENGINE"] == "django.db.backends.postgresql":
            # A database host that stops answering fails a request (a 503) within seconds
            # instead of holding a worker thread until the kernel gives up; the URL may say
            # otherwise (?connect_timeout=N).
            config.setdefault("OPTIONS", {}).setdefault("connect_timeout", 5)
    return config


def database_replicas(name: str, primary: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Read replicas of a PostgreSQL primary from comma-separated URLs, as DATABASES entries
    named replica_1, replica_2, ... (knowhow.replicas sends reads to them)."""
    raw = os.environ.get(name, "").strip()
    if not raw:
        return {}
    if primary["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured(
            f"{name} needs KNOWHOW_DATABASE_URL to be PostgreSQL (replicas are PostgreSQL "
            "streaming replicas of it)"
        )
    replicas = {}
    for number, url in enumerate((part.strip() for part in raw.split(",")), start=1):
        if not url.startswith(("postgres://", "postgresql://", "pgsql://")):
            # Only the scheme is named: the rest of a URL may hold a password.
            found = f"a {url.split('://', 1)[0]}:// URL" if "://" in url else "not a URL"
            raise ImproperlyConfigured(
                f"{name} must be postgres:// URLs separated by commas; "
                f"replica {number} is {found if url else 'empty'}"
            )
        config = database_config(f"{name} (replica {number})", Path(), url=url)
        # Tests make no database of their own for a replica: it is the primary's.
        config["TEST"] = {"MIRROR": "default"}
        replicas[f"replica_{number}"] = config
    return replicas


CACHE_TIMEOUT_SECONDS = 1.0


def cache_config(name: str) -> dict[str, Any]:
    url = os.environ.get(name, "").strip()
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "knowhow"}
    try:
        config: dict[str, Any] = environ.Env.cache_url_config(url)
    except Exception as exc:
        raise ImproperlyConfigured(f"{name} is not a cache URL: {exc}") from None
    if str(config.get("BACKEND", "")).endswith("RedisCache"):
        # A Redis that is away or stalled costs a request about a second, never a hung
        # worker: each call gives up after a second, without retrying, and once one has
        # failed the next fail at once for a few seconds (knowhow.redis_breaker).
        options = config.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", CACHE_TIMEOUT_SECONDS)
        options.setdefault("socket_timeout", CACHE_TIMEOUT_SECONDS)
        options.setdefault("pool_class", "knowhow.redis_breaker.GuardedPool")
    return config


def email_config(name: str, default_dir: Path) -> dict[str, Any]:
    """EMAIL_* settings from a URL (smtp+tls://user:pass@host:587, consolemail://, ...).

    Without the URL, Django's own EMAIL_* variables are read from the environment; with
    neither, mail is written as files under var/mail so a reset link is never lost.
    """
    url = os.environ.get(name, "").strip()
    if not url and (os.environ.get("EMAIL_HOST") or os.environ.get("EMAIL_BACKEND")):
        return {
            "EMAIL_BACKEND": env_str(
                "EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
            ),
            "EMAIL_HOST": env_str("EMAIL_HOST", "localhost"),
            "EMAIL_PORT": env_int("EMAIL_PORT", 25),
            "EMAIL_HOST_USER": env_str("EMAIL_HOST_USER", ""),
            "EMAIL_HOST_PASSWORD": env_str("EMAIL_HOST_PASSWORD", ""),
            "EMAIL_USE_TLS": env_bool("EMAIL_USE_TLS", False),
            "EMAIL_USE_SSL": env_bool("EMAIL_USE_SSL", False),
        }
    if not url:
        return {
            "EMAIL_BACKEND": "knowhow.server.mailfiles.PrivateFileBackend",
            "EMAIL_FILE_PATH": str(default_dir),
        }
    try:
        config = environ.Env.email_url_config(url)
    except Exception as exc:
        raise ImproperlyConfigured(f"{name} is not an email URL: {exc}") from None
    return {key: value for key, value in config.items() if value not in (None, "")}


def private_folder(path: Path) -> None:
    """Make the folder (and missing parents) readable by its owner alone, 0700, whatever
    the umask; a folder that exists keeps its mode (an operator's 0750 for nginx)."""
    if path.is_dir():
        return
    private_folder(path.parent)
    try:
        path.mkdir(mode=0o700)
    except FileExistsError:
        return
    os.chmod(path, 0o700)


def private_file(path: Path) -> None:
    """Create the file empty, readable by its owner alone (0600), unless it exists."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    os.fchmod(fd, 0o600)
    os.close(fd)


def secret_key(name: str, var_dir: Path) -> str:
    """The key from the environment, else one generated once and kept in var/secret_key."""
    value = os.environ.get(name, "").strip()
    if value:
        return value
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    private_folder(var_dir)
    value = secrets.token_urlsafe(50)
    # Written whole and private under another name, then linked into place: processes that
    # start at the same moment (a server's workers, a migrate beside a serve) all end up
    # with the one key that got there first, never each with its own.
    draft = var_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(value)
        os.link(draft, path)
    except FileExistsError:
        return path.read_text().strip()
    finally:
        draft.unlink(missing_ok=True)
    return value
