"""WSGI entry point for production servers: the page cache in front of Django."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "knowhow.settings")
django_application = get_wsgi_application()

from django.conf import settings  # noqa: E402

from knowhow.pagecache.wsgi import PageCache  # noqa: E402 - needs settings configured
from knowhow.server.logs import AccessLog  # noqa: E402
from knowhow.server.parent_death import end_with_serve  # noqa: E402

end_with_serve()

page_cache = PageCache(django_application)
application = AccessLog(page_cache) if settings.ACCESS_LOG else page_cache
