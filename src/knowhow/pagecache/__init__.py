"""The full-page cache: anonymous pages answered from memory, never stale.

Pages say what they depend on (`mark`); writes say what they changed (`changed`). The WSGI
layer in `knowhow.pagecache.wsgi` answers anonymous GET and HEAD requests from memory
before Django runs, and only while nothing a page depends on has changed in any process.
"""

from __future__ import annotations

from knowhow.pagecache.api import changed, follow, in_cache_mode, mark, site_tag, versions

__all__ = ["changed", "follow", "in_cache_mode", "mark", "site_tag", "versions"]
