"""The page cache: pages, parts of pages and repeated reads answered from memory, never stale.

Pages say what they depend on (`mark`); writes say what they changed (`changed`). The WSGI
layer in `knowhow.pagecache.wsgi` answers anonymous visitors and signed-in readers from
memory before Django runs, and only while nothing a page depends on has changed in any
process. Live pages use kept parts (`{% fragment %}`), sessions and accounts the same way.
"""

from __future__ import annotations

from knowhow.pagecache.api import also, changed, follow, in_cache_mode, mark, versions

__all__ = ["also", "changed", "follow", "in_cache_mode", "mark", "versions"]
