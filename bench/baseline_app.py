"""The baseline for bench/article_page.py: a bare Django view showing an article and three
comments from SQLite, with no middleware, served by the same server as knowhow."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import django
from django.conf import settings

DB = Path(os.environ.get("BASELINE_DB", "/tmp/knowhow-baseline.sqlite3"))

if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY="baseline-only",  # noqa: S106 - a throwaway key for a local benchmark
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(DB)}},
        TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates"}],
    )
    django.setup()

from django.db import connection  # noqa: E402
from django.http import HttpRequest, HttpResponse  # noqa: E402
from django.template import engines  # noqa: E402
from django.urls import path  # noqa: E402

TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>{{ title }}</title><h1>{{ title }}</h1><div>{{ body|safe }}</div>"
    "<h2>Discuss this Article</h2>{% for c in comments %}<h3>Post {{ c.0 }}</h3>"
    "<p>{{ c.1 }}</p>{% endfor %}"
)


def setup_db() -> None:
    with sqlite3.connect(DB) as db:
        db.execute("DROP TABLE IF EXISTS comment")
        db.execute("CREATE TABLE comment (id INTEGER PRIMARY KEY, number INT, body TEXT)")
        db.executemany(
            "INSERT INTO comment (number, body) VALUES (?, ?)",
            [(n, f"Comment number {n}, a few words long.") for n in (1, 2, 3)],
        )


def article(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT number, body FROM comment ORDER BY number DESC LIMIT 50")
        comments = cursor.fetchall()
    html = TEMPLATE.render(
        {"title": "What is a Muscle Cramp?", "body": "<p>Body.</p>" * 5, "comments": comments}
    )
    return HttpResponse(html)


urlpatterns = [path("", article)]

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

if __name__ == "__main__":
    setup_db()
