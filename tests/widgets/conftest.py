from tests.pagecache.conftest import clock, server  # noqa: F401  (the real page cache)
