"""WSGI entry point for production servers: the page cache in front of Django."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knowhow.settings")
django_application = get_wsgi_application()

from knowhow.pagecache.wsgi import PageCache  # noqa: E402 - needs settings configured

application = PageCache(django_application)
