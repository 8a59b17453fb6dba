"""Django settings for knowhow, read from KNOWHOW_* environment variables.

With nothing set it runs on SQLite under ./var (rate limits counted there too); see
docs/operators/configuration.md.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.conf.locale import LANG_INFO

from knowhow import config

PACKAGE_DIR = Path(__file__).resolve().parent
# The data folder: see config.var_dir for where it goes when KNOWHOW_VAR_DIR is not set.
VAR_DIR = config.var_dir("KNOWHOW_VAR_DIR", PACKAGE_DIR)

DEBUG = config.env_bool("KNOWHOW_DEBUG", False)
# The debug page and error reports mask credentials, those inside URLs too.
DEFAULT_EXCEPTION_REPORTER_FILTER = "knowhow.server.error_reports.CredentialsHidden"
SECRET_KEY = config.secret_key("KNOWHOW_SECRET_KEY", VAR_DIR)
# What `knowhow serve` runs with (host, port, workers, threads), read here so a bad value
# stops every command, `check --deploy` included, not only the server.
SERVE = config.serve_options()
ALLOWED_HOSTS = config.env_list("KNOWHOW_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = config.env_list("KNOWHOW_CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = config.env_str("KNOWHOW_SITE_NAME", "Knowhow")
# The public address, e.g. https://example.org: used for links in emails and canonical URLs,
# so they never depend on the Host header of a request.
SITE_URL = config.env_url("KNOWHOW_SITE_URL")

INSTALLED_APPS = [
    # Its commands (serve, db_worker, tasks) come before those of the apps below.
    "knowhow.server",
    "knowhow.site",
    "knowhow.pages",
    "knowhow.pagecache",
    "knowhow.articles",
    "knowhow.images",
    "knowhow.newsroom",
    "knowhow.exchange",
    "knowhow.search",
    "knowhow.facts",
    "knowhow.antiabuse",
    "knowhow.discussion",
    "knowhow.accounts",
    "knowhow.moderation",
    "knowhow.notifications",
    "knowhow.demo",
    "knowhow.widgets",
    "knowhow.api",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
]

MIDDLEWARE = [
    # Outermost: log lines written while a request is served name it (knowhow.server.logs).
    "knowhow.server.logs.RequestLog",
    # A Host not in KNOWHOW_ALLOWED_HOSTS: a 400 page and one log line, before anything
    # else asks for the host.
    "knowhow.server.hosts.UnknownHost",
    # On PostgreSQL, each database call of a request waits at most DATABASE_WAIT_SECONDS:
    # outside the session and the account, which ask the database first.
    "knowhow.server.database_wait.DatabaseWait",
    # Which database a request reads from, and the cookie that keeps a visitor who just wrote
    # on one that has their write: outside the session, which reads and writes.
    "knowhow.replicas.ReadYourWrites",
    "django.middleware.security.SecurityMiddleware",
    # The headers that guard every page sit outside everything that may fail (sessions,
    # the account), so an error page gets them too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Requests through a proxy the site was not told about: one warning (antiabuse.proxies).
    "knowhow.antiabuse.proxies.UnknownProxy",
    # A body larger than the site takes is refused before anything reads it (CSRF would).
    "knowhow.request_size.RequestSizeLimit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "knowhow.pages.context.SiteName",
    # A page not found under an article's old address: a 301 to its address now.
    "knowhow.site.moved.OldAddresses",
    # Its 400 page for a form the site cannot read gets every header above.
    "knowhow.server.unreadable.UnreadableRequestMiddleware",
    # Innermost, so it sees a view's database errors first: a styled 503, not a bare 500.
    "knowhow.server.outage.DatabaseOutage",
]

ROOT_URLCONF = "knowhow.urls"
WSGI_APPLICATION = "knowhow.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            # {% load dates %}: the site's one date style, for every app's templates.
            # {% load numbers %}: counts and numbers in the language's digits.
            "libraries": {"dates": "knowhow.dates", "numbers": "knowhow.numbers"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "knowhow.pages.context.site",
            ],
        },
    },
]

# The full-page cache (knowhow.pagecache): memory each server process may use for pages.
PAGE_CACHE_BYTES = config.env_int("KNOWHOW_PAGE_CACHE_MB", 32) * 1024 * 1024
# With Redis, each serving process keeps the page versions in memory while it holds a lease
# this long; a server cut off from Redis stops answering from memory within it, and a write
# waits for such a server at most about this long. 0: every cached page asks Redis.
PAGE_CACHE_LEASE_SECONDS = config.env_seconds("KNOWHOW_PAGE_CACHE_LEASE_SECONDS", 2.0, 60)
# Keeps the keys (page versions, counts) of two sites sharing one Redis apart.
PAGE_CACHE_NAMESPACE = (
    config.env_str("KNOWHOW_CACHE_PREFIX", "").strip()
    or hashlib.sha256(SECRET_KEY.encode()).hexdigest()[:12]
)

# Edge caches (Varnish, a CDN) that keep anonymous pages and are purged by surrogate key
# before a write's response returns (knowhow.pagecache.edge); none: no edge keeps pages.
EDGE_PURGE_URLS = config.env_edge_purgers("KNOWHOW_EDGE_PURGE_URLS")
# The longest an edge keeps a page without asking (bounds a page whose purge never arrived).
EDGE_MAX_AGE = config.env_bounded_int("KNOWHOW_EDGE_MAX_AGE", 3600, 0, 31 * 86400)

DATABASES = {"default": config.database_config("KNOWHOW_DATABASE_URL", VAR_DIR / "knowhow.sqlite3")}
# PostgreSQL read replicas of the primary: web pages read from them when they have every
# write the page needs (knowhow.replicas; docs/operators/replicas.md).
DATABASES |= config.database_replicas("KNOWHOW_DATABASE_REPLICA_URLS", DATABASES["default"])
DATABASE_ROUTERS = ["knowhow.replicas.ReplicaRouter"]
# A replica further behind the primary than this is left aside until it catches up.
DATABASE_REPLICA_MAX_LAG_SECONDS = config.env_seconds(
    "KNOWHOW_DATABASE_REPLICA_MAX_LAG_SECONDS", 10, 3600
)
# Seconds a web request's database call may wait on PostgreSQL (0: as long as it takes).
DATABASE_WAIT_SECONDS = config.env_seconds("KNOWHOW_DATABASE_WAIT_SECONDS", 1.5, 60)
CACHES = {"default": config.cache_config("KNOWHOW_CACHE_URL")}
CACHES["default"]["KEY_PREFIX"] = PAGE_CACHE_NAMESPACE
# Sessions and the signed-in account are kept in memory until they change in any process
# (the page cache's shared versions); Django's ModelBackend still serves older sessions.
SESSION_ENGINE = "knowhow.pagecache.sessions"
AUTHENTICATION_BACKENDS = [
    "knowhow.pagecache.users.KeptUserBackend",
    "django.contrib.auth.backends.ModelBackend",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 3

# The site's language (its articles' by default, and the interface's), and the languages
# readers may switch the interface to (the site's first); see knowhow.languages.
LANGUAGE_CODE = config.env_language("KNOWHOW_LANGUAGE", "en")
LANGUAGES = [
    (code, LANG_INFO[code]["name_local"])
    for code in config.env_languages("KNOWHOW_LANGUAGES", LANGUAGE_CODE)
]
if len(LANGUAGES) > 1:
    # The interface follows the reader's choice (a cookie set by Django's set_language
    # view) or their browser's languages, among those allowed; kept pages are kept per
    # language (knowhow.pagecache.wsgi). With one language there is nothing to choose.
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.middleware.common.CommonMiddleware"),
        "django.middleware.locale.LocaleMiddleware",
    )
TIME_ZONE = config.env_time_zone("KNOWHOW_TIME_ZONE", "UTC")
USE_I18N = True
# The catalogue of the modules at the package's root (dates, languages...); each app keeps
# its own under its folder.
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
# Which digits dates and numbers are written with where the interface is Arabic.
DIGITS = config.env_choice("KNOWHOW_DIGITS", "latin", ("latin", "arabic-indic"))
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

_email = config.email_config("KNOWHOW_EMAIL_URL", VAR_DIR / "mail")
EMAIL_BACKEND = _email.pop("EMAIL_BACKEND")
globals().update(_email)
DEFAULT_FROM_EMAIL = config.env_address("KNOWHOW_FROM_EMAIL", "knowhow@localhost")
# Who gets an email, through the task queue, for each server error (with its traceback).
ADMINS = config.env_admins("KNOWHOW_ADMINS")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
# A post from a page an edge keeps, sent without script (no token in it yet), gets its form
# back to send once more; every other refusal is Django's own.
CSRF_FAILURE_VIEW = "knowhow.site.views.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
BEHIND_HTTPS_PROXY = config.env_bool("KNOWHOW_BEHIND_HTTPS_PROXY", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if BEHIND_HTTPS_PROXY else None
# Behind an HTTPS proxy the site is only reached over HTTPS: cookies never travel in clear,
# a request that came in plain HTTP is sent to HTTPS, and browsers are told (HSTS, sent only
# over HTTPS) to come back over HTTPS alone. Served straight on http://127.0.0.1, none of it.
SESSION_COOKIE_SECURE = BEHIND_HTTPS_PROXY
CSRF_COOKIE_SECURE = BEHIND_HTTPS_PROXY
SECURE_SSL_REDIRECT = BEHIND_HTTPS_PROXY
# A proxy's or load balancer's own check may ask over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = config.env_bounded_int(
    "KNOWHOW_HSTS_SECONDS", 365 * 86400 if BEHIND_HTTPS_PROXY else 0, 0, 10 * 365 * 86400
)
SECURE_HSTS_INCLUDE_SUBDOMAINS = config.env_bool("KNOWHOW_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = config.env_bool("KNOWHOW_HSTS_PRELOAD", False)
# Both reach beyond this site (every subdomain; the lists built into browsers), so they are
# the operator's to turn on, documented with their switches; `check --deploy` stays quiet
# about leaving them off.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]

# Seconds browsers and CDNs may reuse a widget other sites embed without asking again.
WIDGET_MAX_AGE = config.env_bounded_int("KNOWHOW_WIDGET_MAX_AGE", 60, 1, 3600)

# Posts: Markdown-lite, bounded, paged.
DISCUSSION_MAX_LENGTH = 5000
DISCUSSION_PAGE_SIZE = 50
# Each post's HTML is kept by what it shows (the thread: discussion/templatetags/kept_posts.py;
# the queue: moderating.kept_queue_item), so a page drawn anew draws only the posts a write
# changed; off only to measure what it saves.
DISCUSSION_KEEP_POSTS = True
# Minutes in which readers may edit or delete their own posts.
DISCUSSION_EDIT_WINDOW_MINUTES = config.env_int("KNOWHOW_EDIT_WINDOW_MINUTES", 15)
# Authors are emailed when a moderator removes, rejects or edits their post or bans them.
TELL_AUTHORS = config.env_bool("KNOWHOW_TELL_AUTHORS", True)
# Who may be emailed at all, asked before an author is told: an address anyone may type
# (an anonymous post's) only once its owner confirmed it, and never one that opted out.
EMAIL_CONFIRMED_CHECK = "knowhow.notifications.recipients.is_confirmed"
EMAIL_OPTED_OUT_CHECK = "knowhow.notifications.recipients.is_opted_out"

# Anti-abuse: each layer is described in docs/moderators/keeping-the-discussion-clean.md.
POST_RATE_ANONYMOUS = config.env_rates("KNOWHOW_POST_RATE_ANONYMOUS", "5/10m,30/1d")
POST_RATE_ACCOUNT = config.env_rates("KNOWHOW_POST_RATE_ACCOUNT", "10/10m,60/1d")
# Wrong passwords allowed per account name and network, and per address (IPv4, or IPv6 /64),
# before every try is refused until the window ends; accounts made per address.
SIGNIN_RATE_ACCOUNT = config.env_rates("KNOWHOW_SIGNIN_RATE_ACCOUNT", "5/15m,20/1d")
SIGNIN_RATE_ADDRESS = config.env_rates("KNOWHOW_SIGNIN_RATE_ADDRESS", "20/15m,100/1d")
# Wrong passwords for one account from every network without its device cookie together.
SIGNIN_RATE_ACCOUNT_ALL = config.env_rates("KNOWHOW_SIGNIN_RATE_ACCOUNT_ALL", "30/15m,100/1d")
SIGNUP_RATE_ADDRESS = config.env_rates("KNOWHOW_SIGNUP_RATE_ADDRESS", "5/1h,20/1d")
MIN_SUBMIT_SECONDS = config.env_int("KNOWHOW_MIN_SUBMIT_SECONDS", 3)
ANONYMOUS_LINK_LIMIT = config.env_int("KNOWHOW_ANONYMOUS_LINK_LIMIT", 2)
SPAM_THRESHOLD = config.env_int("KNOWHOW_SPAM_THRESHOLD", 3)
FLAG_THRESHOLD = config.env_int("KNOWHOW_FLAG_THRESHOLD", 3)
# An established reader (discussion.trust): an account this many days old with this many
# published posts. Only established readers' reports hide a post; new accounts get the
# anonymous link limit and, in topics that ask for it, their first posts held.
ESTABLISHED_ACCOUNT_DAYS = config.env_int("KNOWHOW_ESTABLISHED_ACCOUNT_DAYS", 7)
ESTABLISHED_POSTS = config.env_int("KNOWHOW_ESTABLISHED_POSTS", 3)
# Reports a reader may make, per account, per address (an IPv6 reader's /64) and per
# network (/24, /48), whether signed in or not.
REPORT_RATE_ACCOUNT = config.env_rates("KNOWHOW_REPORT_RATE_ACCOUNT", "10/1h,30/1d")
REPORT_RATE_ADDRESS = config.env_rates("KNOWHOW_REPORT_RATE_ADDRESS", "10/1h,30/1d")
REPORT_RATE_NETWORK = config.env_rates("KNOWHOW_REPORT_RATE_NETWORK", "30/1h,100/1d")
# Requests to the API (/api/v1/), as (count, seconds): per token, and per address whoever
# calls. Posting through it also counts against the posting limits above.
API_RATE_TOKEN = [(600, 60), (20_000, 86_400)]
API_RATE_ADDRESS = [(300, 60), (10_000, 86_400)]
HOLD_ANONYMOUS_POSTS = config.env_bool("KNOWHOW_HOLD_ANONYMOUS_POSTS", False)
HOLD_FIRST_POSTS = config.env_bool("KNOWHOW_HOLD_FIRST_POSTS", False)
AKISMET_KEY = config.env_str("KNOWHOW_AKISMET_KEY", "")
AKISMET_URL = config.env_str("KNOWHOW_AKISMET_URL", "https://rest.akismet.com/1.1/comment-check")
# Addresses are kept only as keyed hashes whose key changes every this many days.
IP_HASH_ROTATION_DAYS = config.env_int("KNOWHOW_IP_HASH_ROTATION_DAYS", 30)
# How many proxies in front of the app append to X-Forwarded-For; 0 trusts none of it.
TRUSTED_PROXY_COUNT = config.env_bounded_int("KNOWHOW_TRUSTED_PROXY_COUNT", 0, 0, 10)
# Left unset behind a proxy, every reader is one address: `check --deploy`, the start-up
# lines and the first such request say so (knowhow.antiabuse.proxies).
TRUSTED_PROXY_COUNT_SET = config.env_is_set("KNOWHOW_TRUSTED_PROXY_COUNT")

# Background work (reply emails) runs outside requests: `knowhow serve` starts a worker.
TASKS = {
    "default": {
        "BACKEND": config.env_str("KNOWHOW_TASKS_BACKEND", "django_tasks_db.DatabaseBackend")
    }
}
# The worker runs these every so many minutes (knowhow.server.housekeeping); each is called
# with now= and returns what it did.
HOUSEKEEPING_MINUTES = config.env_bounded_int("KNOWHOW_HOUSEKEEPING_MINUTES", 60, 1, 24 * 60)
HOUSEKEEPING_JOBS = [
    "knowhow.server.housekeeping.clear_expired_sessions",
    "knowhow.server.housekeeping.prune_task_results",
    "knowhow.antiabuse.ratelimit.clear_spent_counts",
    "knowhow.newsroom.autosaves.forget_unclaimed",
    # Scheduled articles whose time has come (each also has its own task at that time).
    "knowhow.articles.services.publish_due",
]

# "text": plain lines, as people read them; "json": one JSON object per line (knowhow.server.logs).
LOG_FORMAT = config.env_choice("KNOWHOW_LOG_FORMAT", "text", ("text", "json"))
# One line per request answered (knowhow.server.logs.AccessLog, in front of the page cache).
ACCESS_LOG = config.env_bool("KNOWHOW_ACCESS_LOG", False)

LOG_LEVEL = config.env_log_level("KNOWHOW_LOG_LEVEL", "WARNING")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "knowhow.server.logs.JsonLines"},
        "access": {"format": "%(asctime)s %(message)s"},
    },
    "filters": {
        "quiet_not_found": {"()": "knowhow.server.logs.QuietNotFound"},
        "refusal_without_traceback": {"()": "knowhow.server.logs.RefusalWithoutTraceback"},
        "require_debug_false": {"()": "django.utils.log.RequireDebugFalse"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        },
        "access": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "access",
        },
        "mail_admins": {
            "class": "knowhow.server.logs.QueuedAdminEmail",
            "level": "ERROR",
            "filters": ["require_debug_false"],
            # Queued for the task worker: the failed request does not wait for the mail server.
            "task": "knowhow.notifications.tasks.mail_admins_about_error",
        },
    },
    "loggers": {
        # Server errors are mailed to ADMINS by the task worker; the request does not wait.
        "django": {"handlers": ["mail_admins"], "level": "INFO"},
        # A page not found is routine: INFO, and only when the request line does not say it;
        # a 403 is one line, without the refusal's traceback.
        "django.request": {"filters": ["quiet_not_found", "refusal_without_traceback"]},
        # Written whenever the access log is on, whatever KNOWHOW_LOG_LEVEL says.
        "knowhow.access": {"handlers": ["access"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
}

# No inline script or style anywhere: a script smuggled into a post has nowhere to run.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Uploaded pictures and their resized copies (knowhow.images), served by `knowhow serve`
# under MEDIA_URL (knowhow.images.serving) or by a proxy in front of it (deploy/nginx).
MEDIA_ROOT = Path(config.env_str("KNOWHOW_MEDIA_ROOT", "").strip() or VAR_DIR / "media")
MEDIA_URL = "/" + config.env_str("KNOWHOW_MEDIA_URL", "/media/").strip().strip("/") + "/"
# The largest picture file staff may upload, in bytes.
IMAGE_MAX_BYTES = config.env_bounded_int(
    "KNOWHOW_IMAGE_MAX_BYTES", 10 * 1024 * 1024, 1024, 200 * 1024 * 1024
)
# The largest request body any address takes, in bytes; the newsroom's picture uploads take
# IMAGE_MAX_BYTES more. A larger one is refused before it is read (knowhow.request_size).
REQUEST_MAX_BYTES = config.env_bounded_int(
    "KNOWHOW_REQUEST_MAX_BYTES", 2 * 1024 * 1024, 64 * 1024, 100 * 1024 * 1024
)
DATA_UPLOAD_MAX_MEMORY_SIZE = REQUEST_MAX_BYTES
# The most pixels an uploaded picture may have: a small file may unpack into a huge image.
# At most Pillow's own limit (89,478,485), past which it only warns.
IMAGE_MAX_PIXELS = config.env_bounded_int("KNOWHOW_IMAGE_MAX_PIXELS", 50_000_000, 1, 89_000_000)
# The most pictures one staff account may upload in an hour (a stolen or runaway account
# cannot fill the disk); imports are not counted.
IMAGE_UPLOADS_PER_HOUR = config.env_bounded_int("KNOWHOW_IMAGE_UPLOADS_PER_HOUR", 100, 1, 10_000)
# The newsroom's review dashboard lists an article as "due soon" this many days before its
# next expert review is due (see docs/writers/review-cadence.md).
REVIEW_SOON_DAYS = config.env_bounded_int("KNOWHOW_REVIEW_SOON_DAYS", 30, 1, 366)
