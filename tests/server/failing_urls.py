"""The site's addresses plus one view that fails, for the tests of error pages."""

from __future__ import annotations

import os

from django.http import HttpRequest, HttpResponse
from django.urls import path

from knowhow.urls import urlpatterns as site_patterns


def broken(request: HttpRequest) -> HttpResponse:
    # Locals a real failure might hold: the debug page lists them.
    database_url = os.environ["KNOWHOW_DATABASE_URL"]
    relay = os.environ["KNOWHOW_EMAIL_URL"].replace("site:", "relay:")
    dsn = os.environ["RELAY_DSN"]
    raise RuntimeError(f"something broke near {len(database_url + relay + dsn)}")


urlpatterns = [*site_patterns, path("broken/", broken)]
